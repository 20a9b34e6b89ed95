import { createHmac, type KeyObject } from 'node:crypto';
import { issueJwt, TokenError, verifyJwt, type JwtExpectations, type TokenErrorCode, type VerificationKeys } from '../src/index.js';
import { encodeSegment, withHeader, withPayload } from './support/jws-forgery.js';
import { testSigner } from './support/test-signer.js';

const NOW = Date.UTC(2030, 0, 1);
const nowSeconds = NOW / 1000;
const clock = () => NOW;

const signer = testSigner('ES256');
const base: JwtExpectations = { algorithms: ['ES256'], clock };

async function refusal(token: string, keys: VerificationKeys, expectations: JwtExpectations): Promise<TokenErrorCode> {
  const error: unknown = await verifyJwt(token, keys, expectations).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof TokenError)) throw new Error(`expected a TokenError, got ${String(error)}`);
  return error.code;
}

describe('issueJwt', () => {
  it('builds a compact JWS whose header carries alg from the signer and the given extras', async () => {
    const token = await issueJwt(signer, { typ: 'at+jwt', kid: 'k1' }, { sub: 'alice' });
    const [header, payload, signature] = token.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' });
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toEqual({ sub: 'alice' });
    expect(Buffer.from(signature!, 'base64url')).toHaveLength(64);
  });

  it('gives a frozen header shared by many tokens the alg of each signer', async () => {
    const shared = Object.freeze({ typ: 'at+jwt', kid: 'k1' });
    const headerOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>;
    for (const each of [signer, signer, testSigner('EdDSA'), signer]) {
      expect(headerOf(await issueJwt(each, shared, { sub: 'alice' }))).toEqual({ alg: each.algorithm, typ: 'at+jwt', kid: 'k1' });
    }
  });

  it('refuses a header alg other than the signer one, and a signer that cannot make a JWS', async () => {
    await expect(issueJwt(signer, { alg: 'none' }, {})).rejects.toThrow(TypeError);
    const raw = { ...signer, algorithm: 'RSA-PKCS1-RAW' as const };
    await expect(issueJwt(raw, {}, {})).rejects.toThrow(TypeError);
  });

  it.each(['ES256', 'ES384', 'ES512', 'EdDSA', 'RS256', 'PS256'] as const)('round-trips %s', async (alg) => {
    const algSigner = testSigner(alg);
    const token = await issueJwt(algSigner, { typ: 'JWT' }, { iss: 'https://issuer.example', exp: nowSeconds + 60 });
    const verified = await verifyJwt(token, algSigner.publicKey, { algorithms: [alg], clock });
    expect(verified.header.alg).toBe(alg);
    expect(verified.claims.iss).toBe('https://issuer.example');
  });
});

describe('verifyJwt keys', () => {
  it('accepts a KeyObject, a JWK, a JWKS (by kid) and a resolver', async () => {
    const token = await issueJwt(signer, { kid: 'k1' }, { sub: 'alice' });
    const other = testSigner('ES256', 'other');
    const jwks = { keys: [{ ...other.publicJwk, kid: 'k0' }, { ...signer.publicJwk, kid: 'k1' }] };
    const resolver = { resolveKey: (): KeyObject => signer.publicKey };
    for (const keys of [signer.publicKey, signer.publicJwk, jwks, resolver] as VerificationKeys[]) {
      await expect(verifyJwt(token, keys, base)).resolves.toMatchObject({ claims: { sub: 'alice' } });
    }
  });

  it('refuses a kid the JWKS does not hold, and a kid-less token when several keys fit', async () => {
    const other = testSigner('ES256', 'other');
    const jwks = { keys: [{ ...other.publicJwk, kid: 'k0' }, { ...signer.publicJwk, kid: 'k1' }] };
    expect(await refusal(await issueJwt(signer, { kid: 'k9' }, {}), jwks, base)).toBe('TOKEN_KEY_NOT_FOUND');
    expect(await refusal(await issueJwt(signer, {}, {}), jwks, base)).toBe('TOKEN_KEY_NOT_FOUND');
  });

  it('refuses a key whose type or curve does not fit alg, and a private JWK', async () => {
    const token = await issueJwt(signer, { kid: 'k1' }, {});
    const rsa = testSigner('RS256');
    const p384 = testSigner('ES384');
    expect(await refusal(token, { keys: [{ ...rsa.publicJwk, kid: 'k1' }] }, base)).toBe('TOKEN_KEY_NOT_FOUND');
    expect(await refusal(token, p384.publicKey, base)).toBe('TOKEN_KEY_NOT_FOUND');
    const privateJwk = { ...signer.publicJwk, d: 'AAAA' };
    expect(await refusal(token, privateJwk, base)).toBe('TOKEN_KEY_NOT_FOUND');
  });
});

describe('verifyJwt algorithms', () => {
  it('has no default: the allowed list is required, non-empty, and cannot name none or HMAC', async () => {
    const token = await issueJwt(signer, {}, {});
    for (const algorithms of [undefined, [], ['none'], ['HS256'], ['ES256', 'HS256']]) {
      await expect(verifyJwt(token, signer.publicKey, { algorithms } as unknown as JwtExpectations)).rejects.toThrow(TypeError);
    }
  });

  it('refuses an alg outside the allowed list', async () => {
    expect(await refusal(await issueJwt(signer, {}, {}), signer.publicKey, { ...base, algorithms: ['RS256'] })).toBe(
      'TOKEN_ALG_NOT_ALLOWED',
    );
  });

  it('refuses alg none, and an HMAC token keyed with the public key (algorithm confusion)', async () => {
    const claims = encodeSegment({ sub: 'mallory' });
    const unsecured = `${encodeSegment({ alg: 'none' })}.${claims}.`;
    expect(await refusal(unsecured, signer.publicKey, base)).toBe('TOKEN_ALG_NOT_ALLOWED');

    const input = `${encodeSegment({ alg: 'HS256' })}.${claims}`;
    const pem = signer.publicKey.export({ type: 'spki', format: 'pem' });
    const mac = createHmac('sha256', pem).update(input).digest('base64url');
    expect(await refusal(`${input}.${mac}`, signer.publicKey, base)).toBe('TOKEN_ALG_NOT_ALLOWED');
  });

  it('refuses a header alg switched to another allowed algorithm', async () => {
    const token = withHeader(await issueJwt(signer, {}, {}), (header) => (header.alg = 'ES384'));
    expect(await refusal(token, signer.publicKey, { ...base, algorithms: ['ES256', 'ES384'] })).toBe('TOKEN_KEY_NOT_FOUND');
  });
});

describe('verifyJwt integrity and shape', () => {
  it('refuses a changed payload or signature', async () => {
    const token = await issueJwt(signer, {}, { sub: 'alice' });
    expect(await refusal(withPayload(token, (claims) => (claims.sub = 'mallory')), signer.publicKey, base)).toBe(
      'TOKEN_SIGNATURE_INVALID',
    );
    const flipped = `${token.slice(0, -2)}${token.at(-2) === 'A' ? 'B' : 'A'}${token.slice(-1)}`;
    expect(await refusal(flipped, signer.publicKey, base)).toBe('TOKEN_SIGNATURE_INVALID');
  });

  it.each([
    ['empty', ''],
    ['one part', 'abc'],
    ['two parts', 'a.b'],
    ['four parts', 'a.b.c.d'],
    ['header not JSON', `${Buffer.from('nope').toString('base64url')}.${encodeSegment({})}.AA`],
  ])('refuses a malformed token (%s)', async (_label, token) => {
    expect(await refusal(token, signer.publicKey, base)).toBe('TOKEN_MALFORMED');
  });

  it('refuses a validly signed JWS whose payload is not a JSON object', async () => {
    const input = `${encodeSegment({ alg: 'ES256' })}.${encodeSegment([1])}`;
    const signature = Buffer.from(await signer.sign(Buffer.from(input))).toString('base64url');
    expect(await refusal(`${input}.${signature}`, signer.publicKey, base)).toBe('TOKEN_MALFORMED');
  });

  it('refuses a registered time claim of the wrong type', async () => {
    const token = await issueJwt(signer, {}, { exp: 'tomorrow' as unknown as number });
    expect(await refusal(token, signer.publicKey, base)).toBe('TOKEN_MALFORMED');
  });
});

describe('verifyJwt claims', () => {
  it('checks exp and nbf against the injected clock, with leeway', async () => {
    const expired = await issueJwt(signer, {}, { exp: nowSeconds - 10 });
    expect(await refusal(expired, signer.publicKey, base)).toBe('TOKEN_EXPIRED');
    await expect(verifyJwt(expired, signer.publicKey, { ...base, leewaySeconds: 30 })).resolves.toBeDefined();

    const early = await issueJwt(signer, {}, { nbf: nowSeconds + 10 });
    expect(await refusal(early, signer.publicKey, base)).toBe('TOKEN_NOT_YET_VALID');
    await expect(verifyJwt(early, signer.publicKey, { ...base, leewaySeconds: 30 })).resolves.toBeDefined();
  });

  it('enforces a maximum age from iat, which makes iat required', async () => {
    const old = await issueJwt(signer, {}, { iat: nowSeconds - 600 });
    expect(await refusal(old, signer.publicKey, { ...base, maxAgeSeconds: 300 })).toBe('TOKEN_TOO_OLD');
    await expect(verifyJwt(old, signer.publicKey, { ...base, maxAgeSeconds: 900 })).resolves.toBeDefined();
    const future = await issueJwt(signer, {}, { iat: nowSeconds + 600 });
    expect(await refusal(future, signer.publicKey, { ...base, maxAgeSeconds: 300 })).toBe('TOKEN_NOT_YET_VALID');
    const undated = await issueJwt(signer, {}, {});
    expect(await refusal(undated, signer.publicKey, { ...base, maxAgeSeconds: 300 })).toBe('TOKEN_CLAIM_MISSING');
  });

  it('checks iss against one value or any of several', async () => {
    const token = await issueJwt(signer, {}, { iss: 'https://a.example' });
    await expect(verifyJwt(token, signer.publicKey, { ...base, iss: ['https://b.example', 'https://a.example'] })).resolves.toBeDefined();
    expect(await refusal(token, signer.publicKey, { ...base, iss: 'https://b.example' })).toBe('TOKEN_ISSUER_MISMATCH');
    const anonymous = await issueJwt(signer, {}, {});
    expect(await refusal(anonymous, signer.publicKey, { ...base, iss: 'https://a.example' })).toBe('TOKEN_CLAIM_MISSING');
  });

  it('checks aud as a string or a list, against one value or any of several', async () => {
    const single = await issueJwt(signer, {}, { aud: 'api' });
    const listed = await issueJwt(signer, {}, { aud: ['web', 'api'] });
    for (const token of [single, listed]) {
      await expect(verifyJwt(token, signer.publicKey, { ...base, aud: 'api' })).resolves.toBeDefined();
      await expect(verifyJwt(token, signer.publicKey, { ...base, aud: ['other', 'api'] })).resolves.toBeDefined();
      expect(await refusal(token, signer.publicKey, { ...base, aud: 'other' })).toBe('TOKEN_AUDIENCE_MISMATCH');
    }
  });

  it('checks typ, ignoring an application/ prefix and case', async () => {
    const token = await issueJwt(signer, { typ: 'at+jwt' }, {});
    await expect(verifyJwt(token, signer.publicKey, { ...base, typ: 'application/AT+JWT' })).resolves.toBeDefined();
    expect(await refusal(token, signer.publicKey, { ...base, typ: 'dpop+jwt' })).toBe('TOKEN_TYP_MISMATCH');
    expect(await refusal(await issueJwt(signer, {}, {}), signer.publicKey, { ...base, typ: 'at+jwt' })).toBe('TOKEN_TYP_MISMATCH');
  });

  it('requires the listed claims', async () => {
    const token = await issueJwt(signer, {}, { sub: 'alice' });
    await expect(verifyJwt(token, signer.publicKey, { ...base, requiredClaims: ['sub'] })).resolves.toBeDefined();
    expect(await refusal(token, signer.publicKey, { ...base, requiredClaims: ['sub', 'exp'] })).toBe('TOKEN_CLAIM_MISSING');
  });

  it('checks the signature before any claim', async () => {
    const expired = await issueJwt(signer, {}, { exp: nowSeconds - 10, iss: 'x' });
    const forged = withPayload(expired, (claims) => (claims.iss = 'y'));
    expect(await refusal(forged, signer.publicKey, { ...base, iss: 'z' })).toBe('TOKEN_SIGNATURE_INVALID');
  });
});
