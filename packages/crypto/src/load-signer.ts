import { KeyObject } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { InvalidKeyError, KeySourceError } from './errors.js';
import { signerFromJwk } from './jwk-signer.js';
import { signerFromKeyObject } from './key-object-signer.js';
import { isPrivateKeyPem, signerFromPem } from './pem-signer.js';
import type { PemSignerOptions } from './pem-signer.js';
import { signerFromPkcs11Uri } from './pkcs11-signer.js';
import type { Pkcs11SignerOptions } from './pkcs11-signer.js';
import type { Signer } from './signer.js';

/** Where a private key is: PEM text, a PEM or JWK file path, a JWK, a KeyObject, or a `pkcs11:` URI. */
export type SignerSource = string | JsonWebKey | KeyObject;

export type LoadSignerOptions = PemSignerOptions & Pkcs11SignerOptions;

/**
 * One entry point for configuration values: a string is a `pkcs11:` URI, PEM
 * text, JWK JSON text, or else a path to a file holding PEM or JWK JSON.
 * Anything else is refused with `ERR_KEY_SOURCE_INVALID`.
 */
export async function loadSigner(source: SignerSource, options: LoadSignerOptions = {}): Promise<Signer> {
  if (source instanceof KeyObject) return signerFromKeyObject(source, options);
  if (typeof source === 'object' && source !== null) return signerFromJwk(source, options);
  if (typeof source !== 'string') throw new KeySourceError('a key source is a string, a JWK or a KeyObject');
  if (/^pkcs11:/i.test(source)) return signerFromPkcs11Uri(source, options);
  const text = isInlineKey(source) ? source : await readKeyFile(source);
  if (isPrivateKeyPem(text)) return signerFromPem(text, options);
  return signerFromJwk(parseJwk(text), options);
}

function isInlineKey(source: string): boolean {
  return source.includes('-----BEGIN ') || source.trimStart().startsWith('{');
}

async function readKeyFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    // Only the path is reported: the "path" may be a mistyped secret.
    throw new KeySourceError(`cannot read a key file at ${describePath(path)}`, { cause: error });
  }
}

function parseJwk(text: string): JsonWebKey {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new KeySourceError('the key is neither a PEM private key nor JWK JSON', { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidKeyError('JWK JSON must be an object');
  }
  return value as JsonWebKey;
}

/** A path is echoed only when it looks like one, never a long opaque string that might be key material. */
function describePath(path: string): string {
  return path.length <= 256 && !/\s/.test(path) ? path : '(unprintable path)';
}
