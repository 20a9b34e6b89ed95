import type { JsonWebKey } from 'node:crypto';
import { KeyAlgorithmMismatchError, UnsupportedAlgorithmError, UnsupportedKeyError } from './errors.js';
import type { SignatureAlgorithm } from './signer.js';

export const SIGNATURE_ALGORITHMS: readonly SignatureAlgorithm[] = [
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'RS256',
  'PS256',
  'RSA-PKCS1-RAW',
];

/** The curve each ECDSA algorithm is defined on (RFC 7518 §3.4). */
const ECDSA_CURVES: ReadonlyMap<unknown, SignatureAlgorithm> = new Map([
  ['P-256', 'ES256'],
  ['P-384', 'ES384'],
  ['P-521', 'ES512'],
]);

const RSA_ALGORITHMS: readonly SignatureAlgorithm[] = ['RS256', 'PS256', 'RSA-PKCS1-RAW'];

/** RFC 7518 §3.3 and §3.5: "A key of size 2048 bits or larger MUST be used". */
const MIN_RSA_JOSE_BITS = 2048;

export function isSignatureAlgorithm(value: unknown): value is SignatureAlgorithm {
  return typeof value === 'string' && (SIGNATURE_ALGORITHMS as readonly string[]).includes(value);
}

export function assertSignatureAlgorithm(value: unknown): SignatureAlgorithm {
  if (!isSignatureAlgorithm(value)) {
    throw new UnsupportedAlgorithmError(`unsupported signature algorithm ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * The algorithm a key signs with. EC and OKP keys have exactly one; an RSA key
 * defaults to RS256 and takes PS256 or RSA-PKCS1-RAW only when asked.
 * `requested` is checked against the key rather than trusted.
 */
export function algorithmForPublicJwk(jwk: JsonWebKey, requested?: SignatureAlgorithm): SignatureAlgorithm {
  if (requested !== undefined) assertSignatureAlgorithm(requested);
  const inferred = inferAlgorithm(jwk, requested);
  if (requested !== undefined && requested !== inferred) {
    throw new KeyAlgorithmMismatchError(`a ${describeKey(jwk)} key cannot sign with ${requested}`);
  }
  return inferred;
}

function inferAlgorithm(jwk: JsonWebKey, requested: SignatureAlgorithm | undefined): SignatureAlgorithm {
  switch (jwk.kty) {
    case 'EC': {
      const algorithm = ECDSA_CURVES.get(jwk.crv);
      if (algorithm === undefined) throw new UnsupportedKeyError(`unsupported EC curve ${String(jwk.crv)}`);
      return algorithm;
    }
    case 'OKP':
      // RFC 8037 §3.1: EdDSA also covers Ed448, which is outside this package's set.
      if (jwk.crv !== 'Ed25519') throw new UnsupportedKeyError(`unsupported OKP curve ${String(jwk.crv)}`);
      return 'EdDSA';
    case 'RSA': {
      const algorithm = requested !== undefined && RSA_ALGORITHMS.includes(requested) ? requested : 'RS256';
      if (algorithm !== 'RSA-PKCS1-RAW' && rsaModulusBits(jwk) < MIN_RSA_JOSE_BITS) {
        throw new UnsupportedKeyError(`${algorithm} needs an RSA key of at least ${MIN_RSA_JOSE_BITS} bits`);
      }
      return algorithm;
    }
    default:
      throw new UnsupportedKeyError(`unsupported key type ${String(jwk.kty)}`);
  }
}

/** Modulus size in bits from the JWK `n` member (RFC 7518 §6.3.1.1: unsigned big-endian, base64url). */
export function rsaModulusBits(jwk: JsonWebKey): number {
  const n = Buffer.from(jwk.n ?? '', 'base64url');
  let first = 0;
  while (first < n.length && n[first] === 0) first += 1;
  if (first === n.length) return 0;
  return (n.length - first - 1) * 8 + (32 - Math.clz32(n[first] ?? 0));
}

function describeKey(jwk: JsonWebKey): string {
  return jwk.crv === undefined ? String(jwk.kty) : `${String(jwk.kty)} ${String(jwk.crv)}`;
}

/** The digest an algorithm hashes with, for code that hashes before signing (ECDSA on a token). */
export function digestForAlgorithm(algorithm: SignatureAlgorithm): 'sha256' | 'sha384' | 'sha512' | undefined {
  switch (algorithm) {
    case 'ES256':
    case 'RS256':
    case 'PS256':
      return 'sha256';
    case 'ES384':
      return 'sha384';
    case 'ES512':
      return 'sha512';
    default:
      return undefined;
  }
}
