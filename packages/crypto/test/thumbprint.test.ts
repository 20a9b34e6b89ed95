import { jwkThumbprint } from '../src/index.js';
import { testKeyPair } from './test-keys.js';

describe('jwkThumbprint (RFC 7638)', () => {
  it('matches the RFC 7638 §3.1 example', () => {
    const jwk = {
      kty: 'RSA',
      n:
        '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
      alg: 'RS256',
      kid: '2011-04-29',
    };
    expect(jwkThumbprint(jwk)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('matches the RFC 8037 Appendix A.3 example for an OKP key', () => {
    const jwk = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
    expect(jwkThumbprint(jwk)).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
  });

  it('hashes only crv, kty, x, y of an EC key, in that order, whatever the member order', () => {
    const { crv, kty, x, y } = testKeyPair('P-256').publicKey.export({ format: 'jwk' });
    const reordered = { y, x, use: 'sig', kty, crv, kid: 'ignored' };
    expect(jwkThumbprint(reordered)).toBe(jwkThumbprint({ crv, kty, x, y }));
    expect(jwkThumbprint({ crv, kty, x, y })).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('gives a private JWK the thumbprint of its public half', () => {
    const pair = testKeyPair('Ed25519');
    expect(jwkThumbprint(pair.privateKey.export({ format: 'jwk' }))).toBe(
      jwkThumbprint(pair.publicKey.export({ format: 'jwk' })),
    );
  });

  it('refuses a JWK missing a required member', () => {
    expect(() => jwkThumbprint({ kty: 'EC', crv: 'P-256', x: 'AAAA' })).toThrow(
      expect.objectContaining({ code: 'ERR_KEY_INVALID' }),
    );
  });

  it('refuses key types it has no member list for', () => {
    expect(() => jwkThumbprint({ kty: 'oct', k: 'c2VjcmV0' })).toThrow(
      expect.objectContaining({ code: 'ERR_KEY_UNSUPPORTED' }),
    );
    expect(() => jwkThumbprint({})).toThrow(expect.objectContaining({ code: 'ERR_KEY_UNSUPPORTED' }));
    expect(() => jwkThumbprint({ kty: 'constructor' })).toThrow(expect.objectContaining({ code: 'ERR_KEY_UNSUPPORTED' }));
  });
});
