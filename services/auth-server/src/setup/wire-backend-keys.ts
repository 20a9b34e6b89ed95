import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jwkThumbprint, publicJwk, signerFromJwk, type Signer } from '@sigil/crypto';
import { ConfigError, type Logger } from '@sigil/service-kit';
import { readOrCreateDevelopmentFile } from './development-files.js';

/** The algorithm families a device proof may use, and the backend key that answers each. */
export type BackendKeyFamily = 'EdDSA' | 'ES256';

/**
 * The keys the backend signs device access tokens with: one per algorithm
 * family, so a device with an Ed25519 key gets an EdDSA token and one with an
 * ECDSA key an ES256 token. Their public halves are published as a JWKS for
 * the ACME server.
 */
export interface BackendKeys {
  signerFor(proofAlgorithm: string): { readonly signer: Signer; readonly publicJwk: JsonWebKey } | undefined;
  jwks(): { keys: JsonWebKey[] };
}

function familyOf(algorithm: string): BackendKeyFamily | undefined {
  if (algorithm === 'EdDSA') return 'EdDSA';
  if (algorithm === 'ES256' || algorithm === 'ES384' || algorithm === 'ES512') return 'ES256';
  return undefined;
}

function generateDevelopmentKeys(): string {
  const keys = [generateKeyPairSync('ed25519').privateKey, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey].map((key) =>
    key.export({ format: 'jwk' }),
  );
  return `${JSON.stringify({ keys }, null, 2)}\n`;
}

function parseKeys(text: string, setting: string): BackendKeys {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(setting, 'is not a JSON JWKS');
  }
  const list = (parsed as { keys?: unknown }).keys;
  if (!Array.isArray(list)) throw new ConfigError(setting, 'holds no "keys" array');
  const byFamily = new Map<BackendKeyFamily, { signer: Signer; publicJwk: JsonWebKey }>();
  for (const jwk of list as JsonWebKey[]) {
    let signer: Signer;
    try {
      signer = signerFromJwk(jwk);
    } catch (error) {
      throw new ConfigError(setting, `a key cannot sign (${(error as Error).message})`);
    }
    const family = familyOf(signer.algorithm);
    if (family === undefined || (family === 'ES256' && signer.algorithm !== 'ES256')) {
      throw new ConfigError(setting, `only Ed25519 and P-256 keys are used, not ${signer.algorithm}`);
    }
    if (byFamily.has(family)) throw new ConfigError(setting, `two keys for ${family}`);
    const pub = publicJwk(jwk);
    byFamily.set(family, { signer, publicJwk: { ...pub, kid: jwkThumbprint(pub), alg: signer.algorithm, use: 'sig' } });
  }
  for (const family of ['EdDSA', 'ES256'] as const) {
    if (!byFamily.has(family)) throw new ConfigError(setting, `needs a key for ${family}`);
  }
  return {
    signerFor: (algorithm) => {
      const family = familyOf(algorithm);
      return family === undefined ? undefined : byFamily.get(family);
    },
    jwks: () => ({ keys: [...byFamily.values()].map((entry) => ({ ...entry.publicJwk })) }),
  };
}

/**
 * The backend keys from `WIRE_BACKEND_KEYS` (a JWKS file of private keys),
 * or in development generated once into the keys directory.
 */
export async function loadBackendKeys(
  settings: { readonly file: string | undefined; readonly keysDir: string; readonly production: boolean },
  logger: Logger,
): Promise<BackendKeys> {
  if (settings.file !== undefined) {
    let text: string;
    try {
      text = await readFile(settings.file, 'utf8');
    } catch (error) {
      throw new ConfigError('WIRE_BACKEND_KEYS', `cannot read ${settings.file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    return parseKeys(text, 'WIRE_BACKEND_KEYS');
  }
  if (settings.production) throw new ConfigError('WIRE_BACKEND_KEYS', 'is required when NODE_ENV=production');
  const path = join(settings.keysDir, 'wire-backend-keys.json');
  const file = await readOrCreateDevelopmentFile(path, generateDevelopmentKeys);
  if (file.created) logger.info({ path }, 'generated development device access-token keys');
  return parseKeys(file.text, 'WIRE_BACKEND_KEYS');
}
