import { randomUUID } from 'node:crypto';
import { signerFromKeyObject } from '@sigil/crypto';
import { issueJwt } from '@sigil/tokens';
import { describeWithRedis } from '@sigil/testkit';
import { ACME } from '../support/raw-acme-client.js';
import { waitForStatus } from '../support/raw-order.js';
import {
  accessTokenFor,
  answer,
  backendSigner,
  enrollingDevice,
  idTokenFor,
  newWireOrder,
  startWireBeds,
  WIRE_DOMAIN,
  wireCsr,
  wireIdentifiers,
  type EnrollingDevice,
  type WireBeds,
  type WireOrder,
} from '../support/wire-journey.js';

const describeRedis = await describeWithRedis();

describeRedis('Wire challenges refuse every tampering', () => {
  let beds: WireBeds;
  let enrolling: EnrollingDevice;
  beforeAll(async () => {
    beds = await startWireBeds('wire-tampering');
    enrolling = await enrollingDevice(beds, 'Ed25519');
  });
  afterAll(() => beds?.close());

  /** A token as the backend would sign it, with outer and inner claims changed at will. */
  async function forgedAccessToken(order: WireOrder, outer: Record<string, unknown> = {}, inner: Record<string, unknown> = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const nonce = 'forged-nonce-0123456789';
    const proofClaims = { ...enrolling.device.claims(nonce, { aud: order.dpop.url, chal: order.dpop.token, handle: enrolling.handle, htu: order.dpop.target }), ...inner };
    const deviceSigner = signerFromKeyObject(enrolling.key);
    const proof = await issueJwt(deviceSigner, { typ: 'dpop+jwt', jwk: deviceSigner.publicJwk }, proofClaims);
    const backend = await backendSigner(beds.auth, 'EdDSA');
    const claims = {
      iss: order.dpop.target,
      aud: order.dpop.url,
      sub: enrolling.device.clientId,
      client_id: enrolling.device.clientId,
      nonce,
      jti: randomUUID(),
      chal: order.dpop.token,
      proof,
      cnf: { kid: enrolling.thumbprint },
      api_version: 5,
      scope: 'wire_client_id',
      iat: now,
      nbf: now,
      exp: now + 300,
      ...outer,
    };
    return issueJwt(backend, { typ: 'at+jwt', jwk: backend.publicJwk }, claims);
  }

  async function expectRefused(order: WireOrder, which: 'dpop' | 'oidc', payload: Record<string, unknown>, detail: RegExp): Promise<void> {
    const authz = await answer(enrolling, order[which], payload);
    expect(authz.status).toBe('invalid');
    const challenge = (authz.challenges as { type: string; error?: { type: string; detail: string } }[]).find((c) => c.type === `wire-${which}-01`)!;
    expect(challenge.error?.type).toBe(ACME('unauthorized'));
    expect(challenge.error?.detail).toMatch(detail);
  }

  it('accepts a well-formed forged-free token once: a replayed access token is refused', async () => {
    const first = await newWireOrder(enrolling);
    const jti = randomUUID();
    expect((await answer(enrolling, first.dpop, { access_token: await forgedAccessToken(first, { jti }) })).status).toBe('valid');
    const second = await newWireOrder(enrolling);
    await expectRefused(second, 'dpop', { access_token: await forgedAccessToken(second, { jti }) }, /already used/);
  });

  it.each([
    ['another account’s key (cnf.kid)', { cnf: { kid: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } }, {}, /another key/],
    ['an expired token', { exp: Math.floor(Date.now() / 1000) - 600, iat: Math.floor(Date.now() / 1000) - 900, nbf: Math.floor(Date.now() / 1000) - 900 }, {}, /expired|exp/],
    ['a token living longer than an hour', { exp: Math.floor(Date.now() / 1000) + 7200 }, {}, /longer than an hour/],
    ['another issuer', { iss: 'https://elsewhere.example.test/clients/1/access-token' }, {}, /iss/],
    ['another audience', { aud: 'https://elsewhere.example.test/chall' }, {}, /aud/],
    ['another device', { client_id: 'wireapp://AAAAAAAAAAAAAAAAAAAAAA!ff@wire.example.test' }, {}, /another device/],
    ['another scope', { scope: 'openid' }, {}, /scope/],
    ['a proof for another htu', {}, { htu: 'https://elsewhere.example.test/clients/1/access-token' }, /htu/],
    ['a proof chal that is not the challenge token', { chal: 'other-challenge' }, { chal: 'other-challenge' }, /chal/],
    ['a proof chal that is not the token’s', {}, { chal: 'other-challenge' }, /chal/],
    ['a proof nonce that is not the token’s', {}, { nonce: 'another-nonce' }, /nonce/],
    ['a proof with another handle', {}, { handle: `wireapp://%40someone-else@${WIRE_DOMAIN}` }, /handle/],
    ['a proof with another name', {}, { name: 'Somebody Else' }, /name/],
  ])('refuses wire-dpop-01 with %s', async (_what, outer, inner, detail) => {
    const order = await newWireOrder(enrolling);
    await expectRefused(order, 'dpop', { access_token: await forgedAccessToken(order, outer, inner) }, detail);
  });

  it('refuses an access token from the real backend when the order names someone else', async () => {
    const order = await newWireOrder(enrolling, wireIdentifiers(enrolling, { name: 'Somebody Else' }));
    await expectRefused(order, 'dpop', { access_token: await accessTokenFor(enrolling, order.dpop) }, /name/);
  });

  it('refuses wire-oidc-01 with another key authorization, or for another name', async () => {
    const order = await newWireOrder(enrolling);
    await expectRefused(order, 'oidc', { id_token: await idTokenFor(beds, enrolling, order.oidc, `${order.oidc.token}.someone-elses-thumbprint`) }, /keyauth/);
    const renamed = await newWireOrder(enrolling, wireIdentifiers(enrolling, { name: 'Somebody Else' }));
    await expectRefused(renamed, 'oidc', { id_token: await idTokenFor(beds, enrolling, renamed.oidc) }, /name/);
  });

  it('refuses orders whose Wire identifiers are not one consistent user and device', async () => {
    const [user, device] = wireIdentifiers(enrolling);
    const post = (identifiers: unknown[]) => enrolling.acme.post('/acme/new-order', { identifiers }, { kid: enrolling.kid });
    expect((await post([user])).body.type).toBe(ACME('rejectedIdentifier'));
    expect((await post([user, user, device])).body.type).toBe(ACME('rejectedIdentifier'));
    expect((await post([user, device, { type: 'dns', value: 'example.test' }])).body.type).toBe(ACME('malformed'));
    expect((await post([{ type: 'wireapp-user', value: 'not json' }, device])).body.type).toBe(ACME('malformed'));
    const [, otherDevice] = wireIdentifiers(enrolling, { name: 'Somebody Else' });
    expect((await post([user, otherDevice])).body.type).toBe(ACME('rejectedIdentifier'));
    const foreign = JSON.stringify({ name: 'x', domain: 'other.example.test', handle: 'wireapp://%40x@other.example.test' });
    expect((await post([{ type: 'wireapp-user', value: foreign }, device])).body.type).toBe(ACME('rejectedIdentifier'));
  });

  it('refuses CSRs that are not exactly the order’s', async () => {
    const order = await newWireOrder(enrolling);
    expect((await answer(enrolling, order.oidc, { id_token: await idTokenFor(beds, enrolling, order.oidc) })).status).toBe('valid');
    expect((await answer(enrolling, order.dpop, { access_token: await accessTokenFor(enrolling, order.dpop) })).status).toBe('valid');
    await waitForStatus(enrolling.acme, enrolling.kid, order.url, ['ready']);
    const name = enrolling.device.account.displayName;
    const uris = [enrolling.handle, enrolling.device.clientId];
    const finalize = async (csr: string) => enrolling.acme.post(order.finalize, { csr }, { kid: enrolling.kid });
    for (const csr of [
      await wireCsr(enrolling, { name, uris: [...uris, `wireapp://%40extra@${WIRE_DOMAIN}`] }),
      await wireCsr(enrolling, { name, uris, dns: ['device.example.test'] }),
      await wireCsr(enrolling, { name, uris, commonName: name }),
      await wireCsr(enrolling, { name: 'Somebody Else', uris }),
      await wireCsr(enrolling, { name, uris: [uris[0]!] }),
    ]) {
      const response = await finalize(csr);
      expect({ status: response.status, type: response.body.type }).toEqual({ status: 400, type: ACME('badCSR') });
    }
    expect((await finalize(await wireCsr(enrolling, { name, uris }))).status).toBe(200);
  });
});
