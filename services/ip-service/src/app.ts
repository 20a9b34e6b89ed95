import { ConfigError, createServiceApp, type BuiltService, type ServiceDependencies } from '@sigil/service-kit';
import { systemClock, type Clock } from '@sigil/tokens';
import { ProfilePermissions } from './chain/profile-permissions.js';
import { SignPermissionCheck } from './chain/sign-permission.js';
import type { IpServiceConfig } from './config.js';
import { AppRegistry, type AppRegistration } from './domain/app-registry.js';
import { upRoutes } from './http/up-routes.js';
import { AppSigning } from './session/app-signing.js';
import { RefreshExchange } from './session/refresh-exchange.js';
import { SignIn } from './session/sign-in.js';
import { TokenIssuer } from './session/token-issuer.js';
import { TokenVerification } from './session/token-verification.js';
import { readAppsFile } from './setup/apps-file.js';
import { loadControllerKey } from './setup/controller-keys.js';
import { developmentApps } from './setup/demo-app.js';
import { defaultKeysDir } from './setup/keys-dir.js';
import { loadSigningKeys } from './setup/signing-keys.js';
import { PermissionCache } from './store/permission-cache.js';
import { RefreshGrants } from './store/refresh-grants.js';
import { SignRecords } from './store/sign-records.js';
import { TokenFamilies } from './store/token-families.js';

export interface IpServiceOptions {
  /** Milliseconds since the epoch; tests move time with it. */
  readonly clock?: Clock;
}

/** Room for verifiers' clock skew on top of the longest token lifetime, while a retired key stays published. */
const RETIRED_KEY_MARGIN_SECONDS = 60;

/** Builds the ip-service app from its dependencies; tests call this through `startService`. */
export async function buildApp(deps: ServiceDependencies, config: IpServiceConfig, options: IpServiceOptions = {}): Promise<BuiltService> {
  const clock = options.clock ?? systemClock;
  const production = config.nodeEnv === 'production';
  const keysDir = config.keysDir ?? defaultKeysDir();
  const apps = new AppRegistry(await loadApps(config, production, keysDir, deps));
  const signingKeys = await loadSigningKeys(config, {
    production,
    keysDir,
    maxTokenLifetimeSeconds: apps.longestTokenTtlSeconds + RETIRED_KEY_MARGIN_SECONDS,
    clock,
    logger: deps.logger,
  });
  const { keys } = signingKeys;

  const records = new SignRecords(deps.store);
  const refreshGrants = new RefreshGrants(deps.store);
  const families = new TokenFamilies(deps.store);
  const chain = new ProfilePermissions(config.rpcTimeoutMs);
  const signPermission = new SignPermissionCheck(chain, new PermissionCache(deps.store), config.permissionCacheSeconds * 1000);
  const recordTtlMs = config.signRecordTtlSeconds * 1000;
  const issued = deps.metrics?.counter('sigil_tokens_issued_total', 'Tokens issued, by type.', ['type']);
  const issuer = new TokenIssuer({ keys, issuer: deps.publicUrl, refreshGrants, clock, ...(issued && { issued }) });

  const { app } = createServiceApp({
    ...deps,
    directRoutes: upRoutes({
      issuer: deps.publicUrl,
      keys,
      keysMaxAgeSeconds: config.keysMaxAgeSeconds,
      signing: new AppSigning({ apps, records, recordTtlMs, clock }),
      signIn: new SignIn({ apps, records, recordTtlMs, signPermission, issuer, clock }),
      verification: new TokenVerification({ keys, issuer: deps.publicUrl, families, clock }),
      refresh: new RefreshExchange({ apps, issuer, refreshGrants, families, signPermission, clock }),
    }),
  });
  return {
    app,
    close: async () => {
      chain.close();
      await Promise.all([signingKeys.close(), ...apps.apps.map((entry) => entry.controller.close?.())]);
    },
  };
}

async function loadApps(config: IpServiceConfig, production: boolean, keysDir: string, deps: ServiceDependencies): Promise<AppRegistration[]> {
  if (config.appsFile === undefined && production) throw new ConfigError('IP_APPS_FILE', 'is required when NODE_ENV=production');
  const entries = config.appsFile === undefined ? developmentApps(keysDir, deps.logger) : readAppsFile(config.appsFile);
  const apps: AppRegistration[] = [];
  for (const [index, entry] of entries.entries()) {
    apps.push({
      appERC725Address: entry.appERC725Address,
      controller: await loadControllerKey(entry, index),
      audiences: entry.audiences,
      rpcUrl: entry.rpcUrl,
      chainId: entry.chainId,
      tokenTtlSeconds: entry.tokenTtlSeconds,
      refreshTtlSeconds: entry.refreshTtlSeconds,
    });
  }
  return apps;
}
