import { createStore, type Store } from '@sigil/store';
import {
  accessTokenHash,
  assertCnfBinding,
  createDpopProof,
  DpopError,
  issueJwt,
  readDpopHeader,
  verifyDpopProof,
  type DpopProofParameters,
  type DpopVerificationOptions,
} from '../src/index.js';
import { encodeSegment, withHeader } from './support/jws-forgery.js';
import { testSigner } from './support/test-signer.js';

const NOW = Date.UTC(2030, 0, 1);
const clock = () => NOW;
const HTU = 'https://as.example.com/token';
const client = testSigner('ES256', 'dpop-client');

let replay: Store;
beforeEach(() => {
  replay = createStore({ prefix: 'test:' });
});
afterEach(() => replay.close());

function request(overrides: Partial<DpopVerificationOptions> = {}): DpopVerificationOptions {
  return { htm: 'POST', htu: HTU, replay, clock, ...overrides };
}

function proof(overrides: Partial<DpopProofParameters> = {}, signer = client): Promise<string> {
  return createDpopProof(signer, { htm: 'POST', htu: HTU, clock, ...overrides });
}

/** A proof whose header and claims are exactly as given, signed by `signer`. */
function craftedProof(header: Record<string, unknown>, claims: Record<string, unknown>, signer = client): Promise<string> {
  return issueJwt(signer, header, claims);
}

const honestHeader = { typ: 'dpop+jwt', jwk: client.publicJwk };
const honestClaims = () => ({ jti: Math.random().toString(36), htm: 'POST', htu: HTU, iat: NOW / 1000 });

async function refusal(proofValue: string, options: DpopVerificationOptions = request()): Promise<DpopError> {
  const error: unknown = await verifyDpopProof(proofValue, options).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof DpopError)) throw new Error(`expected a DpopError, got ${String(error)}`);
  return error;
}

describe('createDpopProof', () => {
  it('puts typ, alg and the public jwk in the header, and htm, htu, iat, jti in the claims', async () => {
    const value = await proof({ htu: `${HTU}?q=1#f`, claims: { htm: 'GET', extra: 1 } });
    const [header, payload] = value.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toEqual({ alg: 'ES256', typ: 'dpop+jwt', jwk: { kty: 'EC', crv: 'P-256', x: client.publicJwk.x, y: client.publicJwk.y } });
    expect(payload).toMatchObject({ htm: 'POST', htu: HTU, iat: NOW / 1000, extra: 1 });
    expect(typeof payload.jti).toBe('string');
  });

  it('adds nonce and ath when given', async () => {
    const value = await proof({ nonce: 'n-1', accessToken: 'token-1' });
    const claims = JSON.parse(Buffer.from(value.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ nonce: 'n-1', ath: accessTokenHash('token-1') });
  });
});

describe('verifyDpopProof accepts', () => {
  it.each(['ES256', 'ES384', 'ES512', 'EdDSA', 'RS256', 'PS256'] as const)('a fresh %s proof', async (alg) => {
    const signer = testSigner(alg, 'dpop');
    const verified = await verifyDpopProof(await proof({}, signer), request());
    expect(verified.claims.htm).toBe('POST');
    expect(verified.thumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('iat within the leeway on either side of the window', async () => {
    const options = request({ maxAgeSeconds: 60, leewaySeconds: 5 });
    await expect(verifyDpopProof(await proof({ iat: NOW / 1000 + 5 }), options)).resolves.toBeDefined();
    await expect(verifyDpopProof(await proof({ iat: NOW / 1000 - 65 }), options)).resolves.toBeDefined();
  });

  it('the same jti for two different URIs', async () => {
    await verifyDpopProof(await proof({ jti: 'same' }), request());
    const other = 'https://as.example.com/par';
    await expect(verifyDpopProof(await proof({ jti: 'same', htu: other }), request({ htu: other }))).resolves.toBeDefined();
  });
});

describe('verifyDpopProof refuses (RFC 9449 §4.3)', () => {
  it.each([
    ['not a string', 42],
    ['two parts', 'a.b'],
    ['four parts', 'a.b.c.d'],
    ['bad base64url', 'a*b.c.d'],
    ['a header that is not JSON', `${Buffer.from('{').toString('base64url')}.${encodeSegment({})}.AA`],
  ])('check 2: a proof that is not a JWT (%s)', async (_label, value) => {
    expect((await refusal(value as string)).code).toBe('DPOP_MALFORMED');
  });

  it('check 2: a critical header extension', async () => {
    const value = await craftedProof({ ...honestHeader, crit: ['exp'], exp: 1 }, honestClaims());
    expect((await refusal(value)).code).toBe('DPOP_MALFORMED');
  });

  it.each(['jti', 'htm', 'htu', 'iat'])('check 3: a proof without %s', async (claim) => {
    const claims: Record<string, unknown> = honestClaims();
    delete claims[claim];
    expect((await refusal(await craftedProof(honestHeader, claims))).code).toBe('DPOP_CLAIM_MISSING');
  });

  it("check 3: a claim the caller's profile requires, refused with the caller's error before anything else is checked", async () => {
    class MissingChallenge extends Error {}
    const requiredClaims = (claims: Record<string, unknown>) => {
      if (typeof claims.chal !== 'string') throw new MissingChallenge('no chal');
    };
    // Unsigned by its jwk and of the wrong typ as well: the missing claim is what is reported.
    const value = await craftedProof({ ...honestHeader, typ: 'JWT' }, honestClaims(), testSigner('ES256', 'another'));
    await expect(verifyDpopProof(value, request({ requiredClaims }))).rejects.toBeInstanceOf(MissingChallenge);
    const complete = await proof({ claims: { chal: 'c' } });
    await expect(verifyDpopProof(complete, request({ requiredClaims }))).resolves.toMatchObject({ claims: { chal: 'c' } });
  });

  it('check 3: iat that is not a number', async () => {
    const value = await craftedProof(honestHeader, { ...honestClaims(), iat: String(NOW / 1000) });
    expect((await refusal(value)).code).toBe('DPOP_CLAIM_MISSING');
  });

  it.each([undefined, 'JWT', 'at+jwt', 'application/dpop+jwt'])('check 4: typ %s', async (typ) => {
    const value = await craftedProof({ ...honestHeader, typ }, honestClaims());
    expect((await refusal(value)).code).toBe('DPOP_TYP_INVALID');
  });

  it('check 5: an algorithm local policy does not allow', async () => {
    const value = await proof({}, testSigner('EdDSA', 'dpop'));
    expect((await refusal(value, request({ algorithms: ['ES256'] }))).code).toBe('DPOP_ALG_NOT_ALLOWED');
  });

  it('check 5: alg none and a MAC algorithm', async () => {
    const claims = encodeSegment(honestClaims());
    const none = `${encodeSegment({ ...honestHeader, alg: 'none' })}.${claims}.`;
    expect((await refusal(none)).code).toBe('DPOP_MALFORMED'); // no signature part at all
    const noneSigned = `${encodeSegment({ ...honestHeader, alg: 'none' })}.${claims}.AA`;
    expect((await refusal(noneSigned)).code).toBe('DPOP_ALG_NOT_ALLOWED');
    const hmac = withHeader(await craftedProof(honestHeader, honestClaims()), (header) => (header.alg = 'HS256'));
    expect((await refusal(hmac)).code).toBe('DPOP_ALG_NOT_ALLOWED');
  });

  it('a configuration allowing none or a MAC', async () => {
    const value = await proof();
    for (const algorithms of [[], ['none'], ['HS256']]) {
      await expect(verifyDpopProof(value, request({ algorithms } as unknown as DpopVerificationOptions))).rejects.toThrow(TypeError);
    }
  });

  it('check 7: no jwk, a private jwk, a symmetric jwk, a jwk unfit for alg', async () => {
    const privateJwk = testSigner('ES256', 'dpop-client').publicJwk;
    const cases: Record<string, unknown>[] = [
      { typ: 'dpop+jwt' },
      { typ: 'dpop+jwt', jwk: 'not an object' },
      { typ: 'dpop+jwt', jwk: { ...privateJwk, d: 'AAAA' } },
      { typ: 'dpop+jwt', jwk: { kty: 'oct', k: 'c2VjcmV0' } },
      { typ: 'dpop+jwt', jwk: testSigner('ES384', 'dpop').publicJwk },
      { typ: 'dpop+jwt', jwk: testSigner('RS256', 'dpop').publicJwk },
      { typ: 'dpop+jwt', jwk: { kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' } },
    ];
    for (const header of cases) {
      expect((await refusal(await craftedProof(header, honestClaims()))).code).toBe('DPOP_JWK_INVALID');
    }
  });

  it('check 6: a signature by another key than the jwk header names', async () => {
    const mallory = testSigner('ES256', 'mallory');
    const value = await craftedProof(honestHeader, honestClaims(), mallory);
    expect((await refusal(value)).code).toBe('DPOP_SIGNATURE_INVALID');
  });

  it('check 6: a jwk header swapped after signing, and a truncated signature', async () => {
    const value = await proof();
    const swapped = withHeader(value, (header) => (header.jwk = testSigner('ES256', 'mallory').publicJwk));
    expect((await refusal(swapped)).code).toBe('DPOP_SIGNATURE_INVALID');
    expect((await refusal(value.slice(0, -4))).code).toBe('DPOP_SIGNATURE_INVALID');
  });

  it('check 8: another method (case-sensitive)', async () => {
    expect((await refusal(await proof({ htm: 'post' }))).code).toBe('DPOP_HTM_MISMATCH');
    expect((await refusal(await proof({ htm: 'GET' }))).code).toBe('DPOP_HTM_MISMATCH');
  });

  it('check 9: another URI (path, host, scheme or port)', async () => {
    for (const htu of ['https://as.example.com/token2', 'https://evil.example.com/token', 'http://as.example.com/token', 'https://as.example.com:8443/token']) {
      expect((await refusal(await proof({ htu }))).code).toBe('DPOP_HTU_MISMATCH');
    }
  });

  it('check 10: a missing or wrong nonce when the server requires one, answered with use_dpop_nonce', async () => {
    const missing = await refusal(await proof(), request({ nonce: 'n-2' }));
    expect(missing.code).toBe('DPOP_NONCE_INVALID');
    expect(missing.oauthError).toBe('use_dpop_nonce');
    expect((await refusal(await proof({ nonce: 'n-1' }), request({ nonce: 'n-2' }))).code).toBe('DPOP_NONCE_INVALID');
    await expect(verifyDpopProof(await proof({ nonce: 'n-2' }), request({ nonce: 'n-2' }))).resolves.toBeDefined();
  });

  it('check 10: a nonce the callback does not accept', async () => {
    const seen: (string | undefined)[] = [];
    const check = async (nonce: string | undefined) => {
      seen.push(nonce);
      return nonce === 'fresh';
    };
    expect((await refusal(await proof({ nonce: 'stale' }), request({ nonce: check }))).code).toBe('DPOP_NONCE_INVALID');
    await expect(verifyDpopProof(await proof({ nonce: 'fresh' }), request({ nonce: check }))).resolves.toBeDefined();
    expect(seen).toEqual(['stale', 'fresh']);
  });

  it('check 11: iat outside the window', async () => {
    const options = request({ maxAgeSeconds: 60, leewaySeconds: 5 });
    expect((await refusal(await proof({ iat: NOW / 1000 + 6 }), options)).code).toBe('DPOP_IAT_OUT_OF_WINDOW');
    expect((await refusal(await proof({ iat: NOW / 1000 - 66 }), options)).code).toBe('DPOP_IAT_OUT_OF_WINDOW');
  });

  it('check 12: with an access token, a missing or wrong ath', async () => {
    const options = request({ accessToken: 'token-1' });
    expect((await refusal(await proof(), options)).code).toBe('DPOP_CLAIM_MISSING');
    expect((await refusal(await proof({ accessToken: 'token-2' }), options)).code).toBe('DPOP_ATH_MISMATCH');
    await expect(verifyDpopProof(await proof({ accessToken: 'token-1' }), options)).resolves.toBeDefined();
  });

  it('§11.1: a replayed proof, but not one refused earlier for another reason', async () => {
    const value = await proof();
    expect((await refusal(value, request({ htm: 'GET' }))).code).toBe('DPOP_HTM_MISMATCH');
    await expect(verifyDpopProof(value, request())).resolves.toBeDefined();
    const replayed = await refusal(value, request());
    expect(replayed.code).toBe('DPOP_REPLAYED');
    expect(replayed.oauthError).toBe('invalid_dpop_proof');
  });

  it('§11.1: of concurrent uses of one proof, exactly one', async () => {
    const value = await proof();
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => verifyDpopProof(value, request())));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
  });

  it('§11.1: with a single-use nonce the caller takes, no jti mark, and only with a nonce check', async () => {
    const value = await proof({ nonce: 'n-1' });
    const byNonce = request({ nonce: 'n-1', replay: 'nonce-consumed-by-caller' });
    await expect(verifyDpopProof(value, byNonce)).resolves.toBeDefined();
    await expect(verifyDpopProof(value, byNonce)).resolves.toBeDefined();
    await expect(verifyDpopProof(value, request({ replay: 'nonce-consumed-by-caller' }))).rejects.toThrow(TypeError);
  });
});

describe('readDpopHeader (§4.3 check 1)', () => {
  it('returns the single header value', () => {
    expect(readDpopHeader('a.b.c')).toBe('a.b.c');
    expect(readDpopHeader(['a.b.c'])).toBe('a.b.c');
  });

  it('refuses no header and several', () => {
    const code = (value: string | string[] | undefined) => {
      try {
        readDpopHeader(value);
      } catch (error) {
        return (error as DpopError).code;
      }
      return undefined;
    };
    expect(code(undefined)).toBe('DPOP_MISSING');
    expect(code('')).toBe('DPOP_MISSING');
    expect(code(['a.b.c', 'd.e.f'])).toBe('DPOP_MULTIPLE');
    expect(code('a.b.c, d.e.f')).toBe('DPOP_MULTIPLE');
  });
});

describe('assertCnfBinding (§6.1)', () => {
  it('accepts the thumbprint the token is bound to and refuses any other, or none', async () => {
    const { thumbprint } = await verifyDpopProof(await proof(), request());
    expect(() => assertCnfBinding({ cnf: { jkt: thumbprint } }, thumbprint)).not.toThrow();
    for (const claims of [{ cnf: { jkt: 'other' } }, {}, { cnf: 'x' }]) {
      let error: unknown;
      try {
        assertCnfBinding(claims, thumbprint);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(DpopError);
      expect((error as DpopError).code).toBe('DPOP_KEY_BINDING_MISMATCH');
      expect((error as DpopError).oauthError).toBe('invalid_token');
    }
  });
});
