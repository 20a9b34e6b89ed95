import type { Signer } from '@sigil/crypto';
import type { MiddlewarePublicKeys } from './middleware-public-keys.js';

/** Where the service key lives: in memory from a PEM file, or on a PKCS#11 token. */
export type ServiceKeySource = 'file' | 'pkcs11';

/** The service's private key, signing raw PKCS#1 v1.5 (`RSA-PKCS1-RAW`). */
export interface ServiceKey {
  readonly signer: Signer;
  readonly source: ServiceKeySource;
  /** The longest `server_challenge` it can sign: k − 11 bytes (RFC 8017 §9.2 step 3). */
  readonly maxChallengeLength: number;
}

/**
 * Everything the two commands answer from, loaded together from the three
 * configured files and replaced together on reload, so a request sees either
 * the old set or the new one, never a mix.
 */
export interface IdopteConfiguration {
  readonly middlewareKeys: MiddlewarePublicKeys;
  readonly serviceKey: ServiceKey;
  /** The certificate file's bytes, exactly as configured. */
  readonly certificate: Uint8Array;
}
