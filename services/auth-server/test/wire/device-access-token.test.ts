import { createHash, type JsonWebKey } from 'node:crypto';
import { jwkThumbprint, signerFromPem } from '@sigil/crypto';
import * as oidc from 'openid-client';
import { issueJwt, verifyJwt } from '@sigil/tokens';
import { describeWithRedis, fixtureKey } from '@sigil/testkit';
import { startAuthServers, type AuthServerTestBed } from '../support/auth-server.js';
import { discover } from '../support/relying-party.js';
import { ACME_CHALLENGE_URL, deviceSigner, enrollTestDevice, WIRE_TEST_DOMAIN, type TestDevice } from '../support/wire-device.js';

const describeRedis = await describeWithRedis();

function decodeJws(token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const [header, claims] = token.split('.') as [string, string];
  return { header: JSON.parse(Buffer.from(header, 'base64url').toString()), claims: JSON.parse(Buffer.from(claims, 'base64url').toString()) };
}

async function expectLabel(response: Response, label: string): Promise<void> {
  const body = (await response.json()) as Record<string, unknown>;
  expect({ status: response.status, label: body.label }).toEqual({ status: 400, label });
  expect(body.code).toBe(400);
  expect(typeof body.message).toBe('string');
}

describeRedis('device access tokens (the Wire backend endpoints), two replicas', () => {
  let bed: AuthServerTestBed;
  let device: TestDevice;
  beforeAll(async () => {
    bed = await startAuthServers({ label: 'wire-device', replicas: 2, env: { WIRE_DOMAIN: WIRE_TEST_DOMAIN, WIRE_PROOF_MAX_LIFETIME: '3600' } });
    device = await enrollTestDevice(bed);
  });
  afterAll(() => bed?.close());

  it('registers devices with 64-bit hex ids and lists only the user’s own', async () => {
    const listed = await fetch(`${bed.url}/clients`, { headers: { authorization: `Bearer ${device.accessToken}` } });
    expect(listed.status).toBe(200);
    const { clients } = (await listed.json()) as { clients: { id: string; client_id: string }[] };
    expect(clients.map((client) => client.id)).toEqual([device.deviceId]);
    expect(device.deviceId).toMatch(/^[0-9a-f]{16}$/);
    const userBytes = Buffer.from(device.account.id.replace(/-/g, ''), 'hex').toString('base64url');
    expect(device.clientId).toBe(`wireapp://${userBytes}!${device.deviceId}@${WIRE_TEST_DOMAIN}`);

    expect((await fetch(`${bed.url}/clients`)).status).toBe(401);
    const other = await enrollTestDevice(bed);
    const foreign = await fetch(`${bed.url}/clients/${device.deviceId}/nonce`, { method: 'HEAD', headers: { authorization: `Bearer ${other.accessToken}` } });
    expect(foreign.status).toBe(404);
  });

  it('hands out nonces: HEAD 200 and GET 204, no-store, readable by browsers', async () => {
    const auth = { authorization: `Bearer ${device.accessToken}` };
    const head = await fetch(`${bed.url}/clients/${device.deviceId}/nonce`, { method: 'HEAD', headers: auth });
    expect(head.status).toBe(200);
    expect(head.headers.get('replay-nonce')).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(head.headers.get('cache-control')).toBe('no-store');
    expect(head.headers.get('access-control-expose-headers')).toMatch(/Replay-Nonce/i);
    const get = await fetch(`${bed.url}/clients/${device.deviceId}/nonce`, { headers: auth });
    expect(get.status).toBe(204);
    expect(await get.text()).toBe('');
    expect(get.headers.get('replay-nonce')).not.toBe(head.headers.get('replay-nonce'));
    expect((await fetch(`${bed.url}/clients/${device.deviceId}/nonce`, { method: 'HEAD' })).status).toBe(401);
  });

  it.each(['Ed25519', 'P-256'] as const)('issues a DPoP access token for an %s device, signed by a published backend key', async (kind) => {
    const enrolled = await enrollTestDevice(bed, { kind });
    const nonce = await enrolled.nonce();
    const proof = await enrolled.proof(nonce);
    const response = await enrolled.requestToken(proof);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { token: string; type: string; expires_in: number };
    expect(body.type).toBe('DPoP');

    const { header, claims } = decodeJws(body.token);
    expect(header).toMatchObject({ typ: 'at+jwt', alg: kind === 'Ed25519' ? 'EdDSA' : 'ES256' });
    const jwks = (await (await fetch(`${bed.url}/wire/jwks`)).json()) as { keys: JsonWebKey[] };
    const backendJwk = header.jwk as JsonWebKey;
    expect(jwks.keys.map((key) => jwkThumbprint(key))).toContain(jwkThumbprint(backendJwk));
    expect(jwks.keys.every((key) => key.d === undefined)).toBe(true);
    await verifyJwt(body.token, backendJwk, { algorithms: ['EdDSA', 'ES256'], typ: 'at+jwt', iss: enrolled.accessTokenUrl, aud: ACME_CHALLENGE_URL });

    expect(claims).toEqual({
      iss: enrolled.accessTokenUrl,
      aud: ACME_CHALLENGE_URL,
      sub: enrolled.clientId,
      client_id: enrolled.clientId,
      nonce,
      jti: expect.any(String),
      chal: 'challenge-token-0123456789',
      proof,
      cnf: { kid: jwkThumbprint(enrolled.signer.publicJwk) },
      api_version: 5,
      scope: 'wire_client_id',
      iat: expect.any(Number),
      nbf: expect.any(Number),
      exp: expect.any(Number),
    });
    expect(claims.exp as number).toBe((claims.iat as number) + body.expires_in);
    expect(claims.jti).not.toBe(decodeJws(proof).claims.jti);
  });

  it('refuses a request without a proof', async () => {
    await expectLabel(await device.requestToken(undefined), 'client-token-missing-proof');
  });

  const now = () => Math.floor(Date.now() / 1000);
  const claimCases: [string, () => Record<string, unknown>, string][] = [
    ['wrong htm', () => ({ htm: 'GET' }), 'client-token-bad-method'],
    ['wrong htu', () => ({ htu: `${bed.url}/clients/0000000000000001/access-token` }), 'client-token-bad-uri'],
    ['htu with a query', () => ({ htu: `${device.accessTokenUrl}?x=1` }), 'client-token-bad-uri'],
    ['another device as sub', () => ({ sub: device.clientId.replace(/![0-9a-f]+@/, '!00000000000000ff@') }), 'client-token-bad-sub'],
    ['wrong handle', () => ({ handle: `wireapp://%40someone-else@${WIRE_TEST_DOMAIN}` }), 'client-token-bad-handle'],
    ['wrong team', () => ({ team: '00000000-0000-4000-8000-000000000000' }), 'client-token-bad-team'],
    ['wrong name', () => ({ name: 'Somebody Else' }), 'client-token-bad-display-name'],
    ['no handle', () => ({ handle: undefined }), 'client-token-missing-handle'],
    ['no team', () => ({ team: undefined }), 'client-token-missing-team'],
    ['no name', () => ({ name: undefined }), 'client-token-missing-display-name'],
    ['no chal', () => ({ chal: undefined }), 'client-token-missing-challenge'],
    ['no jti', () => ({ jti: undefined }), 'client-token-missing-jti'],
    ['no iat', () => ({ iat: undefined }), 'client-token-missing-iat'],
    ['no nbf', () => ({ nbf: undefined }), 'client-token-missing-nbf'],
    ['no exp', () => ({ exp: undefined }), 'client-token-missing-exp'],
    ['no aud', () => ({ aud: undefined }), 'client-token-missing-aud'],
    ['aud not a URL', () => ({ aud: 'not a url' }), 'client-token-bad-aud'],
    ['iat in the future', () => ({ iat: now() + 120 }), 'client-token-iat-in-future'],
    ['iat too old', () => ({ iat: now() - 3600 }), 'client-token-iat-too-old'],
    ['nbf in the future', () => ({ nbf: now() + 120 }), 'client-token-not-yet-valid'],
    ['expired', () => ({ exp: now() - 10 }), 'client-token-expired'],
    ['exp too far ahead', () => ({ exp: now() + 7200 }), 'client-token-exp-too-large'],
    ['wrong nonce', () => ({ nonce: 'AAAAAAAAAAAAAAAAAAAAAA' }), 'client-token-bad-nonce'],
  ];
  it.each(claimCases)('refuses a proof with %s', async (_what, overrides, label) => {
    const nonce = await device.nonce();
    await expectLabel(await device.requestToken(await device.proof(nonce, overrides())), label);
  });

  it('refuses bad proof headers and signatures', async () => {
    let nonce = await device.nonce();
    await expectLabel(await device.requestToken(await device.proof(nonce, {}, { typ: 'JWT' })), 'client-token-bad-typ');
    const other = deviceSigner('P-256');
    await expectLabel(await device.requestToken(await device.proof(nonce, {}, { jwk: { ...device.signer.publicJwk, d: 'AAAA' } })), 'client-token-bad-key');
    const es = await issueJwt(other, { typ: 'dpop+jwt', jwk: deviceSigner('P-256').publicJwk }, device.claims(nonce));
    await expectLabel(await device.requestToken(es), 'client-token-bad-signature');
    const rsaSigner = signerFromPem(fixtureKey('RSA-2048', 'wire-device-rsa').privateKeyPem);
    await expectLabel(await device.requestToken(await issueJwt(rsaSigner, { typ: 'dpop+jwt', jwk: rsaSigner.publicJwk }, device.claims(nonce))), 'client-token-unsupported-alg');
    await expectLabel(await device.requestToken('not.a.jws'), 'client-token-bad-proof');
    // None of these used the nonce up.
    nonce = await device.nonce();
    expect((await device.requestToken(await device.proof(nonce))).status).toBe(200);
  });

  it('accepts a nonce once, and of two concurrent requests exactly one', async () => {
    const nonce = await device.nonce();
    expect((await device.requestToken(await device.proof(nonce))).status).toBe(200);
    await expectLabel(await device.requestToken(await device.proof(nonce)), 'client-token-bad-nonce');

    const fresh = await device.nonce();
    const responses = await Promise.all([device.requestToken(await device.proof(fresh)), device.requestToken(await device.proof(fresh))]);
    expect(responses.map((response) => response.status).sort()).toEqual([200, 400]);

    // A new nonce replaces the previous one.
    const first = await device.nonce();
    await device.nonce();
    await expectLabel(await device.requestToken(await device.proof(first)), 'client-token-bad-nonce');
  });

  it('refuses a nonce of another device of the same user, or of another user', async () => {
    const other = await enrollTestDevice(bed);
    const foreign = await other.nonce();
    await device.nonce();
    await expectLabel(await device.requestToken(await device.proof(foreign)), 'client-token-bad-nonce');
    // The other device's nonce is untouched by the refused attempt.
    expect((await other.requestToken(await other.proof(foreign))).status).toBe(200);
  });

  it('refuses a replayed proof', async () => {
    const nonce = await device.nonce();
    const proof = await device.proof(nonce);
    expect((await device.requestToken(proof)).status).toBe(200);
    await device.nonce();
    const again = await device.requestToken(proof);
    expect(again.status).toBe(400);
  });

  it('refuses a revoked access token, a disabled account or an ended session, at once on both replicas', async () => {
    // Each replica has read the token, its session, the account and the device, and keeps them near.
    const nonceStatus = async (base: string, subject: TestDevice) =>
      (await fetch(`${base}/clients/${subject.deviceId}/nonce`, { method: 'HEAD', headers: { authorization: `Bearer ${subject.accessToken}` } })).status;
    const revoked = await enrollTestDevice(bed);
    const disabled = await enrollTestDevice(bed);
    const loggedOut = await enrollTestDevice(bed);
    // Twice: the second answer comes from what each replica concluded of the token the first time.
    for (const subject of [revoked, disabled, loggedOut]) {
      for (const replica of [...bed.replicas, ...bed.replicas]) expect(await nonceStatus(replica.url, subject)).toBe(200);
    }

    await oidc.tokenRevocation(await discover(bed.url, 'test-spa'), revoked.accessToken);
    // The session the token ends with is gone (as a logout leaves it).
    const digest = (value: string) => createHash('sha256').update(value).digest('base64url');
    const stored = JSON.parse((await bed.store.get(`oidc:AccessToken:${digest(loggedOut.accessToken)}`))!) as { sessionUid: string; expiresWithSession: boolean };
    expect(stored.expiresWithSession).toBe(true);
    const session = (await bed.store.get(`oidc:Session:by-uid:${digest(stored.sessionUid)}`))!;
    expect(await bed.store.delete(`oidc:Session:${session}`)).toBe(true);
    const account = JSON.parse((await bed.store.get(`account:${disabled.account.id}`))!) as Record<string, unknown>;
    await bed.store.set(`account:${disabled.account.id}`, JSON.stringify({ ...account, enabled: false }));

    for (const replica of bed.replicas) {
      expect(await nonceStatus(replica.url, revoked)).toBe(401);
      expect(await nonceStatus(replica.url, disabled)).toBe(401);
      expect(await nonceStatus(replica.url, loggedOut)).toBe(401);
      const token = await fetch(`${replica.url}/clients/${disabled.deviceId}/access-token`, {
        method: 'POST',
        headers: { authorization: `Bearer ${disabled.accessToken}`, dpop: await disabled.proof('AAAAAAAAAAAAAAAAAAAAAA') },
      });
      expect(token.status).toBe(401);
    }
  });

  it('refuses a user without a team with its own label', async () => {
    const teamless = await enrollTestDevice(bed, { teamId: null });
    const nonce = await teamless.nonce();
    await expectLabel(await teamless.requestToken(await teamless.proof(nonce, { team: undefined })), 'client-token-user-without-team');
  });
});
