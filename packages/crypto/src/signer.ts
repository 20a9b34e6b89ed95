import type { JsonWebKey } from 'node:crypto';

/**
 * JOSE algorithm names, plus `RSA-PKCS1-RAW`: RSA with PKCS#1 v1.5 type-1
 * padding over the raw bytes, no digest and no DigestInfo (the scheme smart-card
 * middleware such as Idopte uses).
 */
export type SignatureAlgorithm = 'ES256' | 'ES384' | 'ES512' | 'EdDSA' | 'RS256' | 'PS256' | 'RSA-PKCS1-RAW';

/**
 * A private key that can sign, wherever it lives (PEM, JWK, PKCS#11 token).
 * ECDSA signatures are in JOSE form (r || s, fixed width), ready for a JWS.
 */
export interface Signer {
  readonly algorithm: SignatureAlgorithm;
  /** The public half as a JWK (never any private member). */
  readonly publicJwk: JsonWebKey;
  sign(data: Uint8Array): Promise<Uint8Array>;
  /**
   * Releases what the signer holds: for a PKCS#11 signer its session, and the
   * module once no signer uses it (`sign` fails afterwards); nothing for a key
   * in memory. Optional so that any object with
   * the three members above is still a Signer, but every signer this package
   * builds has it: `loadSigner` hands out a Signer without saying where the key
   * lives, and the caller still has to be able to let go of a token at shutdown.
   */
  close?(): Promise<void>;
}
