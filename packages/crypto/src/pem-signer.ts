import { createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { InvalidKeyError } from './errors.js';
import { signerFromKeyObject } from './key-object-signer.js';
import type { SignerOptions } from './key-object-signer.js';
import type { Signer } from './signer.js';

export interface PemSignerOptions extends SignerOptions {
  /** Passphrase of an `ENCRYPTED PRIVATE KEY` (PKCS#8) or a legacy encrypted PEM. */
  passphrase?: string;
}

/** PEM labels of the private key encodings accepted (RFC 7468 §10–§11, RFC 5915 §4, RFC 8017 App. A.1.2). */
const PRIVATE_KEY_LABEL = /-----BEGIN (?:ENCRYPTED |RSA |EC )?PRIVATE KEY-----/;

/** True when the text holds a PEM private key block. */
export function isPrivateKeyPem(text: string): boolean {
  return PRIVATE_KEY_LABEL.test(text);
}

/**
 * A private key from PEM text: PKCS#8 (`PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`),
 * SEC1 (`EC PRIVATE KEY`, with or without a leading `EC PARAMETERS` block)
 * or PKCS#1 (`RSA PRIVATE KEY`).
 */
export function privateKeyFromPem(pem: string, passphrase?: string): KeyObject {
  // Checked first so a certificate or public key gets a clear message, not an OpenSSL decoder error.
  if (!isPrivateKeyPem(pem)) {
    throw new InvalidKeyError('no PEM private key block (PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY)');
  }
  try {
    return createPrivateKey({ key: pem, format: 'pem', ...(passphrase === undefined ? {} : { passphrase }) });
  } catch (error) {
    const missingPassphrase = (error as { code?: unknown }).code === 'ERR_MISSING_PASSPHRASE';
    const reason = missingPassphrase ? 'is encrypted and no passphrase was given' : 'cannot be decoded';
    throw new InvalidKeyError(`the PEM private key ${reason}`, { cause: error });
  }
}

/** A Signer over a PEM private key. */
export function signerFromPem(pem: string, options: PemSignerOptions = {}): Signer {
  return signerFromKeyObject(privateKeyFromPem(pem, options.passphrase), options);
}
