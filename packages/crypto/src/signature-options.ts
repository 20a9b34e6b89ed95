import { constants, type KeyObject } from 'node:crypto';
import type { SignatureAlgorithm } from './signer.js';

/** The node:crypto key options that give JOSE signature encodings, for signing and verifying alike. */
export interface JoseKeyOptions {
  key: KeyObject;
  dsaEncoding?: 'ieee-p1363';
  padding?: number;
  saltLength?: number;
}

export function joseKeyOptions(key: KeyObject, algorithm: SignatureAlgorithm): JoseKeyOptions {
  switch (algorithm) {
    case 'ES256':
    case 'ES384':
    case 'ES512':
      // RFC 7518 §3.4: the JWS signature is R || S, each as wide as the curve order.
      return { key, dsaEncoding: 'ieee-p1363' };
    case 'PS256':
      // RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash output.
      return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    default:
      return { key };
  }
}
