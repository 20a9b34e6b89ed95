import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadSigner } from '@sigil/crypto';
import { ConfigError, type Logger } from '@sigil/service-kit';
import { INTERNAL_TOKEN_ALGORITHMS, RotatingKeySet } from '@sigil/tokens';

export interface InternalTokenKeyOptions {
  /** `PROXY_INTERNAL_TOKEN_KEY` as configured (PEM, JWK, path, `pkcs11:` URI). */
  readonly source: string;
  /** The development default path, resolved: a key missing there is generated. */
  readonly developmentPath: string;
  readonly lifetimeSeconds: number;
  readonly logger: Logger;
}

/**
 * The key set internal tokens are signed with. A missing key file at the
 * development default path is generated once (Ed25519, mode 0600) and the
 * log says so; in production the setting has no default, so start-up has
 * already failed naming it.
 */
export async function loadInternalTokenKeys(options: InternalTokenKeyOptions): Promise<RotatingKeySet> {
  if (options.source === options.developmentPath && !existsSync(options.source)) {
    mkdirSync(dirname(options.source), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(options.source, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    options.logger.warn({ path: options.source }, 'generated a development key for internal tokens');
  }
  let signer;
  try {
    signer = await loadSigner(options.source);
  } catch (error) {
    throw new ConfigError('PROXY_INTERNAL_TOKEN_KEY', `cannot load the key (${(error as Error).message})`);
  }
  if (!(INTERNAL_TOKEN_ALGORITHMS as readonly string[]).includes(signer.algorithm)) {
    throw new ConfigError('PROXY_INTERNAL_TOKEN_KEY', `must be an Ed25519 or P-256 key, got ${signer.algorithm}`);
  }
  // Leeway included: a retired key stays published until its last token has expired everywhere.
  return new RotatingKeySet({ current: signer, maxTokenLifetimeSeconds: options.lifetimeSeconds + 10 });
}
