import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import { InvalidKeyError, UnsupportedKeyError } from './errors.js';

/** A key as callers hold it: a node:crypto KeyObject or a JWK. */
export type KeyInput = KeyObject | JsonWebKey;

/**
 * The public half of a key as a KeyObject. A private key (object or JWK) is
 * accepted too, so a caller holding only the private key can verify.
 */
export function toPublicKeyObject(key: KeyInput): KeyObject {
  try {
    if (key instanceof KeyObject) {
      if (key.type === 'secret') throw new UnsupportedKeyError('a symmetric key has no public half');
      return key.type === 'public' ? key : createPublicKey(key);
    }
    return createPublicKey({ key: key as JsonWebKey, format: 'jwk' });
  } catch (error) {
    throw asKeyError(error, 'not a usable public key');
  }
}

/** A private KeyObject from a KeyObject or a private JWK. */
export function toPrivateKeyObject(key: KeyInput): KeyObject {
  if (key instanceof KeyObject) {
    if (key.type !== 'private') throw new InvalidKeyError(`a private key is needed, got a ${key.type} key`);
    return key;
  }
  try {
    return createPrivateKey({ key: key as JsonWebKey, format: 'jwk' });
  } catch (error) {
    throw asKeyError(error, 'not a usable private JWK');
  }
}

/** The public JWK of a key; key types JWK cannot express (RSA-PSS, DH, …) are unsupported. */
export function publicJwkOf(key: KeyObject): JsonWebKey {
  try {
    return toPublicKeyObject(key).export({ format: 'jwk' });
  } catch (error) {
    throw asKeyError(error, `unsupported key type ${String(key.asymmetricKeyType)}`, UnsupportedKeyError);
  }
}

/** Size of an RSA modulus in bytes (k in RFC 8017). */
export function rsaModulusBytes(key: KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (key.asymmetricKeyType !== 'rsa' || bits === undefined) {
    throw new UnsupportedKeyError(`an RSA key is needed, got ${String(key.asymmetricKeyType ?? key.type)}`);
  }
  return Math.ceil(bits / 8);
}

function asKeyError(
  error: unknown,
  message: string,
  Kind: typeof InvalidKeyError | typeof UnsupportedKeyError = InvalidKeyError,
): Error {
  if (error instanceof InvalidKeyError || error instanceof UnsupportedKeyError) return error;
  // node:crypto's message names the OpenSSL failure, never key bytes, so it is safe to keep as the cause.
  return new Kind(message, { cause: error });
}
