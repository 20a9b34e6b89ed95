import {
  INTERNAL_TOKEN_MAX_LIFETIME_SECONDS,
  issueInternalToken,
  issueJwt,
  RotatingKeySet,
  TokenError,
  verifyInternalToken,
  type InternalIdentity,
} from '../src/index.js';
import { testSigner } from './support/test-signer.js';

const NOW = Date.UTC(2030, 0, 1);
const ISSUER = 'https://proxy.example.com';
const AUDIENCE = 'dav-storage';
const signer = testSigner('EdDSA', 'internal-token');
const keys = new RotatingKeySet({ current: signer, maxTokenLifetimeSeconds: 120, clock: () => NOW });
const identity: InternalIdentity = {
  accountId: '6f1c9d8e-2b1a-4c3d-9e8f-0a1b2c3d4e5f',
  username: 'j.doe',
  displayName: 'Jane Doe',
  email: 'janedoe@example.com',
  groups: ['staff'],
  roles: ['user'],
};
const expectations = { issuer: ISSUER, audience: AUDIENCE, clock: () => NOW };

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof TokenError)) throw new Error(`expected a TokenError, got ${String(error)}`);
  return error.code;
}

describe('internal token', () => {
  it('carries the account and is verified back into the same identity', async () => {
    const token = await issueInternalToken(keys, identity, { issuer: ISSUER, audience: AUDIENCE, lifetimeSeconds: 30, clock: () => NOW });
    const [header, payload] = token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'sigil-internal+jwt', kid: keys.currentKid });
    expect(payload).toMatchObject({ iss: ISSUER, aud: AUDIENCE, sub: identity.accountId, exp: NOW / 1000 + 30, preferred_username: 'j.doe' });
    await expect(verifyInternalToken(token, keys.jwks(), expectations)).resolves.toEqual(identity);
  });

  it('refuses another audience, another issuer, and an expired token', async () => {
    const token = await issueInternalToken(keys, identity, { issuer: ISSUER, audience: AUDIENCE, lifetimeSeconds: 10, clock: () => NOW });
    expect(await refusal(verifyInternalToken(token, keys, { ...expectations, audience: 'other' }))).toBe('TOKEN_AUDIENCE_MISMATCH');
    expect(await refusal(verifyInternalToken(token, keys, { ...expectations, issuer: 'https://evil.example' }))).toBe('TOKEN_ISSUER_MISMATCH');
    expect(await refusal(verifyInternalToken(token, keys, { ...expectations, clock: () => NOW + 16_000 }))).toBe('TOKEN_EXPIRED');
  });

  it(`refuses to mint, and to accept, a lifetime over ${INTERNAL_TOKEN_MAX_LIFETIME_SECONDS} s`, async () => {
    expect(() => issueInternalToken(keys, identity, { issuer: ISSUER, audience: AUDIENCE, lifetimeSeconds: 61 })).toThrow(TypeError);
    const now = NOW / 1000;
    const long = await keys.sign(
      { iss: ISSUER, aud: AUDIENCE, sub: identity.accountId, preferred_username: 'j.doe', iat: now, exp: now + 3600 },
      { typ: 'sigil-internal+jwt' },
    );
    expect(await refusal(verifyInternalToken(long, keys, expectations))).toBe('TOKEN_TOO_OLD');
  });

  it('refuses a JWT of another type, and one signed by another key', async () => {
    const now = NOW / 1000;
    const claims = { iss: ISSUER, aud: AUDIENCE, sub: identity.accountId, preferred_username: 'j.doe', iat: now, exp: now + 30 };
    expect(await refusal(verifyInternalToken(await keys.sign(claims, { typ: 'at+jwt' }), keys, expectations))).toBe('TOKEN_TYP_MISMATCH');
    const forged = await issueJwt(testSigner('EdDSA', 'intruder'), { typ: 'sigil-internal+jwt', kid: keys.currentKid }, claims);
    expect(await refusal(verifyInternalToken(forged, keys, expectations))).toBe('TOKEN_SIGNATURE_INVALID');
  });
});
