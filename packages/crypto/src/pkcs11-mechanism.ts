import { createHash } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import type { Mechanism, RsaPSS } from 'pkcs11js';
import { assertRsaPkcs1RawInputLength } from './rsa-raw.js';
import { digestForAlgorithm } from './signature-algorithm.js';
import type { SignatureAlgorithm } from './signer.js';

/** PKCS#11 v3.0 §2.3.14; pkcs11js (a v2.40 binding) does not name it. */
const CKM_EDDSA = 0x1057;

/** RFC 7518 §3.5: SHA-256, MGF1 with SHA-256, a salt as long as the hash. */
const PS256_PARAMETERS: RsaPSS = {
  type: pkcs11js.CK_PARAMS_RSA_PSS,
  hashAlg: pkcs11js.CKM_SHA256,
  mgf: pkcs11js.CKG_MGF1_SHA256,
  saltLen: 32,
};

/** What to hand C_SignInit and C_Sign for one signature. */
export interface TokenSignOperation {
  readonly mechanism: Mechanism;
  readonly input: Buffer;
}

/**
 * The mechanism and input for `algorithm` over `data`, so that the token's
 * output is already in the JOSE encoding: CKM_ECDSA returns r || s (PKCS#11
 * v2.40 §2.3.1) over a digest hashed here, since tokens differ in which
 * CKM_ECDSA_SHA* they offer; RSA mechanisms hash on the token.
 */
export function tokenSignOperation(algorithm: SignatureAlgorithm, data: Uint8Array, publicJwk: JsonWebKey): TokenSignOperation {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  switch (algorithm) {
    case 'ES256':
    case 'ES384':
    case 'ES512':
      return {
        mechanism: { mechanism: pkcs11js.CKM_ECDSA },
        input: createHash(digestForAlgorithm(algorithm) ?? 'sha256').update(bytes).digest(),
      };
    case 'EdDSA':
      // Pure Ed25519 (RFC 8037 §3.1): the message itself, no pre-hash.
      return { mechanism: { mechanism: CKM_EDDSA }, input: bytes };
    case 'RS256':
      return { mechanism: { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS }, input: bytes };
    case 'PS256':
      return {
        mechanism: {
          mechanism: pkcs11js.CKM_SHA256_RSA_PKCS_PSS,
          parameter: PS256_PARAMETERS,
        },
        input: bytes,
      };
    case 'RSA-PKCS1-RAW':
      // CKM_RSA_PKCS signs its input as-is inside a type-1 block (v2.40 §2.1.6).
      assertRsaPkcs1RawInputLength(bytes.length, signatureLength(publicJwk));
      return { mechanism: { mechanism: pkcs11js.CKM_RSA_PKCS }, input: bytes };
  }
}

/** Output buffer size for C_Sign: k for RSA, 2 × the coordinate width for ECDSA, 64 for Ed25519. */
export function signatureLength(publicJwk: JsonWebKey): number {
  if (publicJwk.kty === 'RSA') return Buffer.from(publicJwk.n ?? '', 'base64url').length;
  if (publicJwk.kty === 'EC') return 2 * Buffer.from(publicJwk.x ?? '', 'base64url').length;
  return 64;
}
