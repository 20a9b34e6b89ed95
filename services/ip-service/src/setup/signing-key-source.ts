import type { JsonWebKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { CryptoError, loadSigner, type Signer } from '@sigil/crypto';
import { ConfigError } from '@sigil/service-kit';

/** A token-signing key and the kid it is published under (undefined: its RFC 7638 thumbprint). */
export interface SigningKeySource {
  readonly signer: Signer;
  readonly kid: string | undefined;
}

/**
 * An RS256 signing key from a setting's value: a `pkcs11:` URI, PEM text, or
 * a path to a PEM, JWK or JWKS file. A JWKS file (`{"keys": [...]}`) gives
 * its first key and that key's `kid`; other keys are refused as RS256
 * signers by `loadSigner` (an EC key cannot sign RS256).
 */
export async function loadSigningKey(setting: string, value: string): Promise<SigningKeySource> {
  const jwks = readJwksFile(setting, value);
  try {
    if (jwks) return { signer: await loadSigner(jwks, { algorithm: 'RS256' }), kid: typeof jwks.kid === 'string' ? jwks.kid : undefined };
    return { signer: await loadSigner(value, { algorithm: 'RS256' }), kid: undefined };
  } catch (error) {
    if (error instanceof CryptoError) throw new ConfigError(setting, `cannot load an RS256 signing key: ${error.message} (${error.code})`);
    throw error;
  }
}

/** The first key of a JWKS file, when the value is the path of one. */
function readJwksFile(setting: string, value: string): JsonWebKey | undefined {
  if (/^pkcs11:/i.test(value) || value.includes('-----BEGIN ') || value.trimStart().startsWith('{') || !existsSync(value)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(value, 'utf8'));
  } catch {
    return undefined;
  }
  const keys = (parsed as { keys?: unknown }).keys;
  if (keys === undefined) return undefined;
  if (!Array.isArray(keys) || keys.length === 0 || typeof keys[0] !== 'object' || keys[0] === null) {
    throw new ConfigError(setting, 'the JWKS file holds no key');
  }
  return keys[0] as JsonWebKey;
}
