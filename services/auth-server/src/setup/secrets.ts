import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, type Logger } from '@sigil/service-kit';
import type { TokenCipherKey } from '../domain/token-cipher.js';
import { readOrCreateDevelopmentFile } from './development-files.js';

/** The shared secrets every replica must hold identically. */
export interface ServiceSecrets {
  /** Cookie signing keys (first signs, all verify); also the root of CSRF tokens. */
  readonly cookieKeys: readonly string[];
  /** 32 bytes: DPoP server nonces are derived from it (RFC 9449 §8). */
  readonly dpopNonceSecret: Buffer;
  /** External-provider token encryption keys (first encrypts). Empty when none are configured. */
  readonly imsTokenKeys: readonly TokenCipherKey[];
}

/** What development generates once (and production never uses). */
export interface DevelopmentSecrets {
  readonly cookieKeys: string[];
  readonly dpopNonceSecret: string;
  readonly imsTokenKeys: string[];
  /** The seeded confidential client's secret and the demo user's password. */
  readonly serviceClientSecret: string;
  readonly demoPassword: string;
}

const developmentSecretsSchema = z.object({
  cookieKeys: z.array(z.string().min(32)).min(1),
  dpopNonceSecret: z.string(),
  imsTokenKeys: z.array(z.string()).min(1),
  serviceClientSecret: z.string().min(16),
  demoPassword: z.string().min(12),
});

const random = (bytes: number) => randomBytes(bytes).toString('base64url');

function generateDevelopmentSecrets(): DevelopmentSecrets {
  return {
    cookieKeys: [random(32)],
    dpopNonceSecret: random(32),
    imsTokenKeys: [`dev1:${random(32)}`],
    serviceClientSecret: random(24),
    demoPassword: `demo-${random(9)}`,
  };
}

export async function loadDevelopmentSecrets(keysDir: string, logger: Logger): Promise<DevelopmentSecrets> {
  const path = join(keysDir, 'secrets.json');
  const file = await readOrCreateDevelopmentFile(path, () => `${JSON.stringify(generateDevelopmentSecrets(), null, 2)}\n`);
  if (file.created) logger.info({ path }, 'generated development secrets (cookie keys, DPoP nonce secret, token keys, seed credentials)');
  const parsed = developmentSecretsSchema.safeParse(JSON.parse(file.text));
  if (!parsed.success) throw new ConfigError('KEYS_DIR', `${path} is not a valid development secrets file; delete it to regenerate`);
  return parsed.data;
}

function exactly32Bytes(value: string, setting: string): Buffer {
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.length !== 32 || bytes.toString('base64url') !== value.replace(/=+$/, '')) {
    throw new ConfigError(setting, 'must be 32 bytes, base64url-encoded');
  }
  return bytes;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** `<key id>:<32 bytes base64url>` entries; key ids are unique. */
export function parseTokenCipherKeys(entries: readonly string[], setting: string): TokenCipherKey[] {
  const keys = entries.map((entry) => {
    const colon = entry.indexOf(':');
    const kid = colon < 0 ? '' : entry.slice(0, colon);
    if (!KEY_ID.test(kid)) throw new ConfigError(setting, 'each key is `<key id>:<32 bytes base64url>`, the id of letters, digits, - and _');
    return { kid, key: exactly32Bytes(entry.slice(colon + 1), setting) };
  });
  if (new Set(keys.map((key) => key.kid)).size !== keys.length) throw new ConfigError(setting, 'key ids must be unique');
  return keys;
}

export interface SecretSettings {
  readonly cookieKeys: readonly string[] | undefined;
  readonly dpopNonceSecret: string | undefined;
  readonly imsTokenKeys: readonly string[] | undefined;
  /** Token keys are needed only when external providers are configured. */
  readonly imsTokenKeysRequired: boolean;
}

/**
 * The shared secrets from settings; in development, what is not set comes
 * from the generated file. In production a missing one stops start-up with
 * a ConfigError naming its setting.
 */
export function resolveSecrets(settings: SecretSettings, development: DevelopmentSecrets | undefined): ServiceSecrets {
  const required = (setting: string): never => {
    throw new ConfigError(setting, 'is required when NODE_ENV=production');
  };
  const cookieKeys = settings.cookieKeys?.length ? settings.cookieKeys : (development?.cookieKeys ?? required('COOKIE_KEYS'));
  if (cookieKeys.some((key) => key.length < 32)) throw new ConfigError('COOKIE_KEYS', 'each key needs at least 32 characters');
  const dpop = settings.dpopNonceSecret ?? development?.dpopNonceSecret ?? required('DPOP_NONCE_SECRET');
  let tokenKeys = settings.imsTokenKeys?.length ? settings.imsTokenKeys : development?.imsTokenKeys;
  if (tokenKeys === undefined && settings.imsTokenKeysRequired) required('IMS_TOKEN_KEYS');
  tokenKeys ??= [];
  return {
    cookieKeys,
    dpopNonceSecret: exactly32Bytes(dpop, 'DPOP_NONCE_SECRET'),
    imsTokenKeys: parseTokenCipherKeys(tokenKeys, 'IMS_TOKEN_KEYS'),
  };
}
