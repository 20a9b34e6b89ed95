import { sign as cryptoSign } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';
import { InvalidKeyError } from './errors.js';
import { publicJwkOf } from './key-object.js';
import { signRsaPkcs1Raw } from './rsa-raw.js';
import { algorithmForPublicJwk, digestForAlgorithm } from './signature-algorithm.js';
import { joseKeyOptions } from './signature-options.js';
import type { Signer, SignatureAlgorithm } from './signer.js';

export interface SignerOptions {
  /**
   * The algorithm to sign with. Inferred from the key when omitted (EC curve,
   * Ed25519 → EdDSA, RSA → RS256); for RSA keys this is how PS256 or
   * RSA-PKCS1-RAW is chosen. A value the key cannot sign with is refused.
   */
  algorithm?: SignatureAlgorithm;
}

/** Algorithms whose signatures are slow enough to be worth a worker thread. */
const RSA: ReadonlySet<SignatureAlgorithm> = new Set(['RS256', 'PS256']);

/** A Signer over a private key held in memory by node:crypto. */
class KeyObjectSigner implements Signer {
  readonly algorithm: SignatureAlgorithm;
  readonly publicJwk: JsonWebKey;
  readonly #key: KeyObject;

  constructor(key: KeyObject, algorithm: SignatureAlgorithm, publicJwk: JsonWebKey) {
    this.#key = key;
    this.algorithm = algorithm;
    this.publicJwk = publicJwk;
  }

  async sign(data: Uint8Array): Promise<Uint8Array> {
    if (this.algorithm === 'RSA-PKCS1-RAW') return signRsaPkcs1Raw(this.#key, data);
    const digest = digestForAlgorithm(this.algorithm) ?? null;
    // Elliptic-curve signatures take tens of microseconds: less than the trip
    // to libuv's thread pool and back, so they are made here.
    if (!RSA.has(this.algorithm)) return cryptoSign(digest, data, joseKeyOptions(this.#key, this.algorithm));
    // The callback form runs in libuv's thread pool, keeping RSA (about a millisecond) off the event loop.
    return new Promise((resolve, reject) => {
      cryptoSign(digest, data, joseKeyOptions(this.#key, this.algorithm), (error, signature) => {
        if (error) reject(error);
        else resolve(signature);
      });
    });
  }

  async close(): Promise<void> {
    // Nothing to release: the key lives in process memory.
  }
}

/** A Signer over a private KeyObject (the common path of PEM and JWK signers). */
export function signerFromKeyObject(key: KeyObject, options: SignerOptions = {}): Signer {
  if (key.type !== 'private') throw new InvalidKeyError(`a private key is needed, got a ${key.type} key`);
  const publicJwk = publicJwkOf(key);
  const algorithm = algorithmForPublicJwk(publicJwk, options.algorithm);
  return new KeyObjectSigner(key, algorithm, publicJwk);
}
