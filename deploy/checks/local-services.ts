import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService, type RunningService, type SettingsSchema } from '@sigil/service-kit';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');

type AnyDefinition = Parameters<typeof startService>[0];

function isDefinition(value: unknown): value is AnyDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<AnyDefinition>;
  return typeof candidate.name === 'string' && typeof candidate.build === 'function' && typeof candidate.settings === 'object';
}

/** The service definition `services/<name>/src/service.ts` exports. */
export async function loadServiceDefinition(name: string): Promise<AnyDefinition> {
  const module = (await import(`${repoRoot}/services/${name}/src/service.ts`)) as Record<string, unknown>;
  const definition = Object.values(module).find(isDefinition);
  if (definition === undefined) throw new Error(`services/${name}/src/service.ts exports no service definition`);
  return definition;
}

/** The settings schema `services/<name>/src/config.ts` exports. */
export async function loadSettings(name: string): Promise<SettingsSchema> {
  const module = (await import(`${repoRoot}/services/${name}/src/config.ts`)) as { settings?: SettingsSchema };
  if (module.settings === undefined) throw new Error(`services/${name}/src/config.ts exports no settings`);
  return module.settings;
}

/** Where each service keeps what it generates in development, pointed into a temporary folder. */
function developmentState(name: string, state: string): Record<string, string> {
  switch (name) {
    case 'acme-resource':
      return { ACME_CA_DIR: join(state, 'ca') };
    case 'auth-server':
      return { KEYS_DIR: join(state, 'keys') };
    case 'dav-storage':
      return { DAV_STORAGE_DATA_DIR: join(state, 'data') };
    case 'ip-service':
      return { IP_KEYS_DIR: join(state, 'keys') };
    default:
      return {};
  }
}

/**
 * Starts a service in this process as a developer would (development mode,
 * in-memory store, generated keys in a temporary folder), to ask it which
 * paths it answers.
 */
export async function startLocally(name: string): Promise<{ running: RunningService; stop(): Promise<void> }> {
  const state = mkdtempSync(join(tmpdir(), `sigil-${name}-`));
  const definition = await loadServiceDefinition(name);
  const running = await startService(definition, {
    // No REDIS_URL: the in-memory store, which startService closes with the service.
    env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', NODE_ENV: 'development', ...developmentState(name, state) },
  });
  return {
    running,
    async stop() {
      await running.close(100);
      rmSync(state, { recursive: true, force: true });
    },
  };
}
