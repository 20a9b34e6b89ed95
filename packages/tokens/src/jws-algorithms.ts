import type { KeyObject } from 'node:crypto';
import type { SignatureAlgorithm } from '@sigil/crypto';

/**
 * The JWS algorithms Sigil signs and verifies (RFC 7518 §3, RFC 8037 §3.1):
 * the asymmetric ones @sigil/crypto implements. `none` and the HMAC family
 * are absent on purpose, so no list of allowed algorithms can ever let them in.
 */
export type JwsAlgorithm = Exclude<SignatureAlgorithm, 'RSA-PKCS1-RAW'>;

export const JWS_ALGORITHMS: readonly JwsAlgorithm[] = ['ES256', 'ES384', 'ES512', 'EdDSA', 'RS256', 'PS256'];

const known: ReadonlySet<string> = new Set(JWS_ALGORITHMS);

export function isJwsAlgorithm(value: unknown): value is JwsAlgorithm {
  return typeof value === 'string' && known.has(value);
}

/** Refuses a configuration that allows nothing, or anything outside JWS_ALGORITHMS (`none`, `HS256`, …). */
export function assertAllowedAlgorithms(algorithms: readonly string[] | undefined, label: string): ReadonlySet<string> {
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    throw new TypeError(`${label}: the allowed algorithms must be a non-empty list`);
  }
  for (const alg of algorithms) {
    if (!isJwsAlgorithm(alg)) throw new TypeError(`${label}: "${String(alg)}" is not an allowed asymmetric JWS algorithm`);
  }
  return new Set(algorithms);
}

/** The curve of each ECDSA algorithm (RFC 7518 §3.4), by its JWK name and its OpenSSL name. */
const ECDSA_CURVES: Partial<Record<JwsAlgorithm, { jwk: string; openssl: string }>> = {
  ES256: { jwk: 'P-256', openssl: 'prime256v1' },
  ES384: { jwk: 'P-384', openssl: 'secp384r1' },
  ES512: { jwk: 'P-521', openssl: 'secp521r1' },
};

/** RFC 7518 §3.3 and §3.5: RSA keys for JWS must be at least 2048 bits. */
const MIN_RSA_BITS = 2048;

/** True when a JWK's type and curve are the ones `alg` signs with (RFC 7518 §6, RFC 8037 §2). */
export function jwkFitsAlgorithm(jwk: { kty?: unknown; crv?: unknown }, alg: JwsAlgorithm): boolean {
  // RFC 8037 §3.1 allows Ed448 for EdDSA too, which Sigil does not verify.
  if (alg === 'EdDSA') return jwk.kty === 'OKP' && jwk.crv === 'Ed25519';
  const curve = ECDSA_CURVES[alg];
  return curve ? jwk.kty === 'EC' && jwk.crv === curve.jwk : jwk.kty === 'RSA';
}

/** True when an imported public key is of the type, curve and size `alg` requires. */
export function keyFitsAlgorithm(key: KeyObject, alg: JwsAlgorithm): boolean {
  if (key.type !== 'public') return false;
  if (alg === 'EdDSA') return key.asymmetricKeyType === 'ed25519';
  const curve = ECDSA_CURVES[alg];
  if (curve) return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === curve.openssl;
  return key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= MIN_RSA_BITS;
}
