import { webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type Crypto = webcrypto.Crypto;
type Algorithm = webcrypto.Algorithm;
import type { Signer } from '@sigil/crypto';

/** How @peculiar/x509 names the signature algorithm of a Signer (WebCrypto terms). */
export interface X509SigningAlgorithm {
  /** The key's algorithm, as a WebCrypto CryptoKey would report it. */
  readonly keyAlgorithm: Record<string, unknown>;
  /** The signature algorithm, as `crypto.subtle.sign` takes it. */
  readonly signingAlgorithm: Record<string, unknown>;
}

const SIGNING_ALGORITHMS: Readonly<Record<string, X509SigningAlgorithm>> = {
  ES256: { keyAlgorithm: { name: 'ECDSA', namedCurve: 'P-256' }, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } },
  ES384: { keyAlgorithm: { name: 'ECDSA', namedCurve: 'P-384' }, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-384' } },
  ES512: { keyAlgorithm: { name: 'ECDSA', namedCurve: 'P-521' }, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-512' } },
  RS256: { keyAlgorithm: { name: 'RSASSA-PKCS1-v1_5' }, signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } },
  PS256: { keyAlgorithm: { name: 'RSA-PSS' }, signingAlgorithm: { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 } },
  EdDSA: { keyAlgorithm: { name: 'Ed25519' }, signingAlgorithm: { name: 'Ed25519' } },
};

/** A CA key as @peculiar/x509 takes it: a CryptoKey stand-in, the algorithm, and a Crypto that signs with the Signer. */
export interface X509SigningKey {
  readonly signingKey: CryptoKey;
  readonly signingAlgorithm: Algorithm;
  readonly crypto: Crypto;
}

/**
 * Lets @peculiar/x509 sign through a Signer (a key in memory or on a PKCS#11
 * token): the library calls `crypto.subtle.sign(algorithm, signingKey, tbs)`,
 * and this Crypto answers that call for its stand-in key with
 * `signer.sign(tbs)`. Signer signatures are in the WebCrypto encodings the
 * library expects (ECDSA as r || s, RSA and EdDSA raw), so nothing is
 * converted; every other call goes to node's WebCrypto.
 */
export function x509SigningKey(signer: Signer): X509SigningKey {
  const algorithm = SIGNING_ALGORITHMS[signer.algorithm];
  if (!algorithm) throw new TypeError(`a ${signer.algorithm} key cannot sign certificates`);
  const signingKey = { type: 'private', extractable: false, algorithm: algorithm.keyAlgorithm, usages: ['sign'] } as unknown as CryptoKey;
  const subtle = new Proxy(webcrypto.subtle, {
    get(target, property) {
      if (property === 'sign') {
        return async (signAlgorithm: unknown, key: unknown, data: webcrypto.BufferSource) => {
          if (key !== signingKey) return target.sign(signAlgorithm as webcrypto.AlgorithmIdentifier, key as CryptoKey, data);
          const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
          const signature = await signer.sign(bytes);
          return signature.buffer.slice(signature.byteOffset, signature.byteOffset + signature.byteLength);
        };
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  const crypto = {
    subtle,
    getRandomValues: webcrypto.getRandomValues.bind(webcrypto),
    randomUUID: webcrypto.randomUUID.bind(webcrypto),
  } as unknown as Crypto;
  return { signingKey, signingAlgorithm: algorithm.signingAlgorithm as unknown as Algorithm, crypto };
}
