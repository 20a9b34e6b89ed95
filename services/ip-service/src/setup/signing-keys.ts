import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { ConfigError } from '@sigil/service-kit';
import { RotatingKeySet, type Clock } from '@sigil/tokens';
import type { Logger } from '@sigil/service-kit';
import { readOrCreateFile } from './keys-dir.js';
import { loadSigningKey, type SigningKeySource } from './signing-key-source.js';

export interface SigningKeySettings {
  readonly signingKey: string | undefined;
  readonly nextSigningKey: string | undefined;
  readonly previousSigningKey: string | undefined;
}

export interface SigningKeyOptions {
  readonly production: boolean;
  readonly keysDir: string;
  /** The longest a token lives: how long the previous key stays published. */
  readonly maxTokenLifetimeSeconds: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * The token-signing key set. Rotation without downtime, one restart of all
 * replicas per step: (1) set `IP_NEXT_SIGNING_KEY` (published, verifiers
 * cache it); (2) make it `IP_SIGNING_KEY` and the old one
 * `IP_PREVIOUS_SIGNING_KEY` (the new key signs; the old one is still
 * published and accepted until every token it signed has expired); (3) drop
 * `IP_PREVIOUS_SIGNING_KEY`.
 */
export interface SigningKeys {
  readonly keys: RotatingKeySet;
  /** Lets go of every key (PKCS#11 sessions). */
  close(): Promise<void>;
}

export async function loadSigningKeys(settings: SigningKeySettings, options: SigningKeyOptions): Promise<SigningKeys> {
  const current = settings.signingKey !== undefined
    ? await loadSigningKey('IP_SIGNING_KEY', settings.signingKey)
    : await developmentSigningKey(options);
  const retention = { maxTokenLifetimeSeconds: options.maxTokenLifetimeSeconds, clock: options.clock };
  const loaded = [current];
  let keys: RotatingKeySet;
  if (settings.previousSigningKey !== undefined) {
    const previous = await loadSigningKey('IP_PREVIOUS_SIGNING_KEY', settings.previousSigningKey);
    loaded.push(previous);
    keys = new RotatingKeySet({ current: previous.signer, ...kidOf(previous), ...retention });
    publishNext(keys, current, 'IP_SIGNING_KEY');
    keys.promoteNext();
  } else {
    keys = new RotatingKeySet({ current: current.signer, ...kidOf(current), ...retention });
  }
  if (settings.nextSigningKey !== undefined) {
    const next = await loadSigningKey('IP_NEXT_SIGNING_KEY', settings.nextSigningKey);
    loaded.push(next);
    publishNext(keys, next, 'IP_NEXT_SIGNING_KEY');
  }
  return {
    keys,
    close: async () => {
      await Promise.all(loaded.map((source) => source.signer.close?.()));
    },
  };
}

function kidOf(source: SigningKeySource): { currentKid?: string } {
  return source.kid === undefined ? {} : { currentKid: source.kid };
}

function publishNext(keys: RotatingKeySet, source: SigningKeySource, setting: string): void {
  try {
    keys.publishNext(source.signer, source.kid === undefined ? {} : { kid: source.kid });
  } catch (error) {
    throw new ConfigError(setting, (error as Error).message);
  }
}

/** In development only: an RSA key generated once into the keys directory. */
async function developmentSigningKey(options: SigningKeyOptions): Promise<SigningKeySource> {
  if (options.production) throw new ConfigError('IP_SIGNING_KEY', 'is required when NODE_ENV=production');
  const path = join(options.keysDir, 'signing-key.pem');
  const { created } = readOrCreateFile(path, () =>
    generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  );
  if (created) options.logger.warn({ path }, 'generated a development token-signing key; set IP_SIGNING_KEY in production');
  else options.logger.info({ path }, 'using the development token-signing key');
  return loadSigningKey('IP_SIGNING_KEY', path);
}
