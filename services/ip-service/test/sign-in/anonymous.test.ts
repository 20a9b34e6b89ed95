import { decodeJwt, decodeProtectedHeader } from 'jose';
import { Wallet } from 'ethers';
import { describeWithRedis } from '@sigil/testkit';
import { clientSignature, postJson, signIn, startIpReplicas, type IpReplicas } from '../support/ip-replicas.js';

const controller = Wallet.createRandom();
const appAddress = Wallet.createRandom().address;
const audiences = ['https://wardrobe.example', 'https://shop.example'];

const describeRedis = await describeWithRedis();

describeRedis('POST /up/token, anonymous (empty userERC725Address), across two replicas', () => {
  let ip: IpReplicas;
  const user = Wallet.createRandom();

  beforeAll(async () => {
    ip = await startIpReplicas({
      label: 'anonymous',
      apps: [
        {
          appERC725Address: appAddress,
          controllerPrivateKey: controller.privateKey.slice(2),
          audiences,
          rpcUrl: 'http://127.0.0.1:9',
          chainId: 31337,
          tokenTtlSeconds: 120,
        },
      ],
    });
  });
  afterAll(() => ip.close());

  it.each([true, false])('issues an RS256 token whose sub is the recovered key (signaturePrefix %s)', async (prefix) => {
    const { status, headers, body } = await signIn(ip.url(0), ip.url(1), { app: appAddress, wallet: user, audiences: [audiences[0]!], prefix });
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(body).sort()).toEqual(['expiresIn', 'refreshToken', 'token', 'type']);
    expect(body).toMatchObject({ expiresIn: 120, type: 'Bearer' });
    expect(typeof body.refreshToken).toBe('string');

    const token = body.token as string;
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', typ: 'JWT', kid: expect.any(String) });
    const claims = decodeJwt(token);
    expect(Object.keys(claims).sort()).toEqual(['aud', 'erc725Address', 'exp', 'iat', 'iss', 'jti', 'sub']);
    expect(claims).toMatchObject({ erc725Address: '', aud: [audiences[0]], iss: ip.publicUrl, sub: user.address });
    expect(claims.exp! - claims.iat!).toBe(120);
  });

  it('refuses a replay of the app signature, on the same or the other replica', async () => {
    const first = await signIn(ip.url(0), ip.url(0), { app: appAddress, wallet: user, audiences });
    expect(first.status).toBe(200);
    for (const url of [ip.url(0), ip.url(1)]) {
      const replay = await postJson(`${url}/up/token`, first.tokenRequest);
      expect(replay.status).toBe(401);
      expect(replay.body).toMatchObject({ type: 'urn:sigil:problem:app-signature-replayed', field: 'originalAppSignature' });
    }
  });

  it('lets exactly one of two concurrent requests with the same app signature through', async () => {
    const first = await signIn(ip.url(0), ip.url(0), { app: appAddress, wallet: Wallet.createRandom(), audiences });
    const fresh = await postJson(`${ip.url(1)}/up/sign`, { appERC725Address: appAddress, message: first.signed.message, signaturePrefix: true });
    const request = {
      ...first.tokenRequest,
      originalAppSignature: fresh.body.signature,
      signature: clientSignature(user, fresh.body.signature as string, true),
    };
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => postJson(`${ip.url(i)}/up/token`, request)));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 401)).toHaveLength(5);
  });

  it('refuses audiences outside the app, and the signature stays usable', async () => {
    const refused = await signIn(ip.url(0), ip.url(1), { app: appAddress, wallet: user, audiences: [audiences[0]!, 'https://evil.example'] });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ type: 'urn:sigil:problem:audience-not-allowed', field: 'audiences' });
    const retry = await postJson(`${ip.url(0)}/up/token`, { ...refused.tokenRequest, audiences: [audiences[1]] });
    expect(retry.status).toBe(200);
  });

  it('refuses a tampered message, and the signature stays usable with the right one', async () => {
    const signed = await postJson(`${ip.url(0)}/up/sign`, { appERC725Address: appAddress, message: Buffer.from('original').toString('base64'), signaturePrefix: true });
    const request = {
      audiences,
      userERC725Address: '',
      message: signed.body.message,
      originalAppSignature: signed.body.signature,
      signature: clientSignature(user, signed.body.signature as string, true),
      signaturePrefix: true,
    };
    const tampered = await postJson(`${ip.url(1)}/up/token`, { ...request, message: Buffer.from('other').toString('base64') });
    expect(tampered.status).toBe(401);
    expect(tampered.body).toMatchObject({ type: 'urn:sigil:problem:message-mismatch', field: 'message' });
    expect((await postJson(`${ip.url(0)}/up/token`, request)).status).toBe(200);
  });

  it('refuses an app signature this service did not make, or a tampered one', async () => {
    const issued = await signIn(ip.url(0), ip.url(1), { app: appAddress, wallet: user, audiences });
    const forged = controller.signingKey.sign(`0x${'11'.repeat(32)}`).serialized;
    const flipped = `${(issued.tokenRequest.originalAppSignature as string).slice(0, 10)}00${(issued.tokenRequest.originalAppSignature as string).slice(12)}`;
    for (const originalAppSignature of [forged, flipped]) {
      const response = await postJson(`${ip.url(0)}/up/token`, {
        ...issued.tokenRequest,
        originalAppSignature,
        signature: clientSignature(user, originalAppSignature, true),
      });
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ type: 'urn:sigil:problem:app-signature-unknown', field: 'originalAppSignature' });
    }
  });

  it('binds the token to whoever signed: a tampered client signature yields another key, or none', async () => {
    const signed = await postJson(`${ip.url(0)}/up/sign`, { appERC725Address: appAddress, message: Buffer.from('m').toString('base64'), signaturePrefix: true });
    const originalAppSignature = signed.body.signature as string;
    const good = clientSignature(user, originalAppSignature, true);
    const base = { audiences, userERC725Address: '', message: signed.body.message, originalAppSignature, signaturePrefix: true };

    const zeroR = `0x${'00'.repeat(32)}${good.slice(66)}`;
    const badR = await postJson(`${ip.url(1)}/up/token`, { ...base, signature: zeroR });
    expect(badR.status).toBe(400);
    expect(badR.body).toMatchObject({ type: 'urn:sigil:problem:invalid-request', field: 'signature' });

    const badV = await postJson(`${ip.url(1)}/up/token`, { ...base, signature: `${good.slice(0, 130)}05` });
    expect(badV.status).toBe(400);

    // The signature made without the prefix, presented as prefixed: another key is recovered.
    const mismatched = await postJson(`${ip.url(0)}/up/token`, { ...base, signature: clientSignature(user, originalAppSignature, false) });
    expect(mismatched.status).toBe(200);
    expect(JSON.parse(Buffer.from((mismatched.body.token as string).split('.')[1]!, 'base64url').toString()).sub).not.toBe(user.address);
  });

  it('refuses an app signature past its record lifetime (IP_SIGN_RECORD_TTL_SECONDS)', async () => {
    const signed = await postJson(`${ip.url(0)}/up/sign`, { appERC725Address: appAddress, message: Buffer.from('late').toString('base64'), signaturePrefix: true });
    ip.clock.advance(301_000);
    const late = await postJson(`${ip.url(1)}/up/token`, {
      audiences,
      userERC725Address: '',
      message: signed.body.message,
      originalAppSignature: signed.body.signature,
      signature: clientSignature(user, signed.body.signature as string, true),
      signaturePrefix: true,
    });
    ip.clock.advance(-301_000);
    expect(late.status).toBe(401);
    expect(late.body).toMatchObject({ type: 'urn:sigil:problem:app-signature-unknown' });
  });

  const valid = {
    audiences,
    userERC725Address: '',
    message: 'bQ==',
    originalAppSignature: `0x${'ab'.repeat(65)}`,
    signature: `0x${'cd'.repeat(65)}`,
    signaturePrefix: true,
  };
  it.each([
    ['audiences missing', { ...valid, audiences: undefined }, 'audiences'],
    ['audiences empty', { ...valid, audiences: [] }, 'audiences'],
    ['audiences not strings', { ...valid, audiences: [1] }, 'audiences'],
    ['userERC725Address missing', { ...valid, userERC725Address: undefined }, 'userERC725Address'],
    ['userERC725Address bad hex', { ...valid, userERC725Address: `0x${'g'.repeat(40)}` }, 'userERC725Address'],
    ['message not base64', { ...valid, message: '***' }, 'message'],
    ['originalAppSignature short', { ...valid, originalAppSignature: `0x${'ab'.repeat(64)}` }, 'originalAppSignature'],
    ['originalAppSignature without 0x', { ...valid, originalAppSignature: 'ab'.repeat(65) }, 'originalAppSignature'],
    ['signature bad hex', { ...valid, signature: `0x${'zz'.repeat(65)}` }, 'signature'],
    ['signature long', { ...valid, signature: `0x${'cd'.repeat(66)}` }, 'signature'],
    ['signaturePrefix missing', { ...valid, signaturePrefix: undefined }, 'signaturePrefix'],
  ])('refuses %s with a 400 problem naming the field', async (_what, body, field) => {
    const response = await postJson(`${ip.url(0)}/up/token`, body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ type: 'urn:sigil:problem:invalid-request', status: 400, field });
  });
});
