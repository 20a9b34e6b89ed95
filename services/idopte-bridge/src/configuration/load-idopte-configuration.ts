import { readFile } from 'node:fs/promises';
import { CryptoError, loadSigner, privateKeyFromPem, signerFromKeyObject, type Signer } from '@sigil/crypto';
import { ConfigError } from '@sigil/service-kit';
import type { IdopteConfiguration, ServiceKey } from '../domain/idopte-configuration.js';
import { parseMiddlewarePublicKeys, type MiddlewarePublicKeys } from '../domain/middleware-public-keys.js';
import { PublicKeyFileError } from '../domain/public-key-file-error.js';
import type { IdopteFiles } from './idopte-files.js';
import { ThreadedRsaSigner } from './threaded-rsa-signer.js';

/** How the service key is used once loaded. */
export interface IdopteKeyOptions {
  /** Threads signing with a key from a PEM file (a token signs on its own). */
  readonly signingThreads: number;
}

/** PKCS#1 v1.5 needs three marker bytes and at least eight of padding (RFC 8017 §9.2 step 3). */
const PKCS1_OVERHEAD = 11;

/**
 * Reads the three Idopte files and opens the service key, all or nothing:
 * any failure is a ConfigError naming the setting, and nothing is kept open.
 * The key is opened last, so a bad file never leaves a token session behind.
 */
export async function loadIdopteConfiguration(files: IdopteFiles, options: IdopteKeyOptions): Promise<IdopteConfiguration> {
  const [publicKeysText, certificate] = await Promise.all([
    readSettingFile('IDOPTE_PUBLIC_KEYS', files.publicKeys),
    readSettingFile('IDOPTE_SERVICE_CERT', files.serviceCert),
  ]);
  const middlewareKeys = middlewarePublicKeysFrom(publicKeysText.toString('utf8'), files.publicKeys);
  if (certificate.length === 0) throw new ConfigError('IDOPTE_SERVICE_CERT', `${files.serviceCert} is empty`);
  const serviceKey = await loadServiceKey(files.serviceKey, options);
  return { middlewareKeys, serviceKey, certificate };
}

async function readSettingFile(setting: string, path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new ConfigError(setting, `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function middlewarePublicKeysFrom(text: string, path: string): MiddlewarePublicKeys {
  try {
    return parseMiddlewarePublicKeys(text);
  } catch (error) {
    if (error instanceof PublicKeyFileError) throw new ConfigError('IDOPTE_PUBLIC_KEYS', `${path}: ${error.message}`);
    throw error;
  }
}

/**
 * The service key from a PEM file or a `pkcs11:` URI, as a raw PKCS#1 v1.5
 * signer. The value itself is never echoed: a URI may carry a `pin-value`.
 */
async function loadServiceKey(source: string, options: IdopteKeyOptions): Promise<ServiceKey> {
  if (source.includes('-----BEGIN ')) {
    throw new ConfigError('IDOPTE_SERVICE_KEY', 'give the path of a PEM file or a pkcs11: URI, not the key itself');
  }
  const onToken = /^pkcs11:/i.test(source);
  const pem = onToken ? undefined : (await readSettingFile('IDOPTE_SERVICE_KEY', source)).toString('utf8');
  let signer: Signer;
  try {
    signer = pem === undefined ? await loadSigner(source, { algorithm: 'RSA-PKCS1-RAW' }) : threadedSigner(pem, options);
  } catch (error) {
    // CryptoError messages are written never to hold key material or PINs; anything else is named only.
    const reason = error instanceof CryptoError ? `${error.message} (${error.code})` : `cannot be loaded (${(error as Error).name})`;
    throw new ConfigError('IDOPTE_SERVICE_KEY', reason);
  }
  const modulusBytes = Buffer.from(signer.publicJwk.n ?? '', 'base64url').length;
  return { signer, source: onToken ? 'pkcs11' : 'file', maxChallengeLength: modulusBytes - PKCS1_OVERHEAD };
}

/** A PEM key, checked to be RSA and able to sign raw, then handed to the signing threads. */
function threadedSigner(pem: string, options: IdopteKeyOptions): Signer {
  const key = privateKeyFromPem(pem);
  const checked = signerFromKeyObject(key, { algorithm: 'RSA-PKCS1-RAW' });
  return new ThreadedRsaSigner(key, checked.publicJwk, options.signingThreads);
}
