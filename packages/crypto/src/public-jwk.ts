import type { JsonWebKey } from 'node:crypto';
import { UnsupportedKeyError } from './errors.js';

/**
 * Members that hold private key material: `d` (EC, OKP, RSA), the RSA CRT
 * parameters and `oth` (RFC 7518 §6.3.2), and `k` of symmetric keys (§6.4.1).
 */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** True when the JWK carries any private (or symmetric) key material. */
export function isPrivateJwk(jwk: JsonWebKey): boolean {
  return PRIVATE_MEMBERS.some((name) => jwk[name] !== undefined);
}

/**
 * A copy of the JWK without its private members; other members (`kid`, `alg`,
 * `use`, …) are kept. A symmetric key has no public half and is refused.
 */
export function publicJwk(jwk: JsonWebKey): JsonWebKey {
  if (jwk.kty === 'oct') throw new UnsupportedKeyError('a symmetric JWK has no public half');
  const copy: JsonWebKey = { ...jwk };
  for (const name of PRIVATE_MEMBERS) delete copy[name];
  return copy;
}
