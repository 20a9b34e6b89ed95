import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CryptoError, secp256k1SignerFromPkcs11Uri } from '@sigil/crypto';
import { ConfigError } from '@sigil/service-kit';
import { isPrivateKeyHex, softwareControllerKey, type ControllerKey } from '../domain/controller-key.js';
import type { AppEntry } from './apps-file.js';

/**
 * The controller key of an app: `controllerPrivateKey` (hex), or
 * `controllerKeyUri`: a `pkcs11:` URI (RFC 7512) naming a secp256k1 key on a
 * token, or a file (a path or `file:` URL) holding the key as hex or as a
 * secp256k1 PEM private key (SEC1 `EC PRIVATE KEY` or PKCS#8).
 */
export async function loadControllerKey(entry: AppEntry, index: number): Promise<ControllerKey> {
  const where = `apps[${index}]`;
  if (entry.controllerPrivateKey !== undefined) return softwareControllerKey(entry.controllerPrivateKey);
  const uri = entry.controllerKeyUri ?? '';
  if (/^pkcs11:/i.test(uri)) {
    try {
      const signer = await secp256k1SignerFromPkcs11Uri(uri);
      return { address: signer.address, signDigest: (digest) => signer.signDigest(digest), close: () => signer.close() };
    } catch (error) {
      if (error instanceof CryptoError) throw new ConfigError('IP_APPS_FILE', `${where}.controllerKeyUri: ${error.message} (${error.code})`);
      throw error;
    }
  }
  return softwareControllerKey(privateKeyFromFile(uri.startsWith('file:') ? fileURLToPath(uri) : uri, where));
}

function privateKeyFromFile(path: string, where: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new ConfigError('IP_APPS_FILE', `${where}.controllerKeyUri: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (isPrivateKeyHex(text)) return text;
  try {
    const jwk = createPrivateKey({ key: text, format: 'pem' }).export({ format: 'jwk' });
    if (jwk.kty === 'EC' && jwk.crv === 'secp256k1' && typeof jwk.d === 'string') return Buffer.from(jwk.d, 'base64url').toString('hex');
  } catch {
    // Reported below, without echoing the file.
  }
  throw new ConfigError('IP_APPS_FILE', `${where}.controllerKeyUri: ${path} holds neither 32 bytes of hex nor a secp256k1 PEM private key`);
}
