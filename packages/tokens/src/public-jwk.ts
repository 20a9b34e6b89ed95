import type { JsonWebKey } from 'node:crypto';

/** JWK members that carry private or symmetric key material (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2). */
const SECRET_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

export function hasSecretMembers(jwk: Record<string, unknown>): boolean {
  for (const member of SECRET_MEMBERS) if (jwk[member] !== undefined) return true;
  return false;
}

/**
 * The required public members of an asymmetric JWK and nothing else (the
 * members RFC 7638 §3.2 hashes): what goes into a DPoP `jwk` header and,
 * with `kid`, `use` and `alg` added, into a published JWKS.
 */
export function toPublicJwk(jwk: JsonWebKey): JsonWebKey {
  if (hasSecretMembers(jwk)) throw new TypeError('a public JWK was expected, but this one holds private key material');
  switch (jwk.kty) {
    case 'EC':
      return { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y };
    case 'OKP':
      return { kty: 'OKP', crv: jwk.crv, x: jwk.x };
    case 'RSA':
      return { kty: 'RSA', e: jwk.e, n: jwk.n };
    default:
      throw new TypeError(`unsupported JWK key type "${String(jwk.kty)}"`);
  }
}
