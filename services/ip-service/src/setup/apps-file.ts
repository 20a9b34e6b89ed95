import { readFileSync } from 'node:fs';
import { checksumAddress } from '@sigil/crypto';
import { ConfigError } from '@sigil/service-kit';
import { z } from 'zod';
import { isPrivateKeyHex } from '../domain/controller-key.js';

/** Default lifetimes when an app does not state them. */
export const DEFAULT_TOKEN_TTL_SECONDS = 600;
export const DEFAULT_REFRESH_TTL_SECONDS = 86_400;

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 20-byte hex address')
  .transform((value) => checksumAddress(value.slice(2)));

/** One entry of the apps file; the member names are the ones other tools write. */
const appEntry = z
  .object({
    appERC725Address: address,
    controllerPrivateKey: z.string().refine(isPrivateKeyHex, 'must be 32 bytes of hex').optional(),
    controllerKeyUri: z.string().min(1).optional(),
    audiences: z.array(z.string().min(1)).min(1),
    rpcUrl: z.url({ protocol: /^https?$/ }),
    chainId: z.number().int().positive(),
    tokenTtlSeconds: z.number().int().positive().default(DEFAULT_TOKEN_TTL_SECONDS),
    refreshTtlSeconds: z.number().int().positive().default(DEFAULT_REFRESH_TTL_SECONDS),
  })
  .strict()
  .refine((entry) => (entry.controllerPrivateKey === undefined) !== (entry.controllerKeyUri === undefined), {
    message: 'give exactly one of controllerPrivateKey and controllerKeyUri',
  });

const appsFile = z.array(appEntry).min(1, 'must list at least one app');

export type AppEntry = z.output<typeof appEntry>;

/**
 * Reads and checks the apps file. A refusal names the entry and member, and
 * never quotes a value (a value may be a private key).
 */
export function readAppsFile(path: string): AppEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError('IP_APPS_FILE', `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseApps(text, path);
}

export function parseApps(text: string, origin: string): AppEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError('IP_APPS_FILE', `${origin} is not JSON`);
  }
  const parsed = appsFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('') : '';
    throw new ConfigError('IP_APPS_FILE', `${origin}: apps${where} ${issue?.message ?? 'is invalid'}`);
  }
  const seen = new Set<string>();
  for (const [index, entry] of parsed.data.entries()) {
    if (seen.has(entry.appERC725Address)) throw new ConfigError('IP_APPS_FILE', `${origin}: apps[${index}].appERC725Address is listed twice`);
    seen.add(entry.appERC725Address);
  }
  return parsed.data;
}
