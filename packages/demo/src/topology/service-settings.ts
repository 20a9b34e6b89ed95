import type { DemoFiles } from './demo-files.js';
import type { DemoClients, ServiceName } from './world.js';

/** What the services' settings are made from: where each one is, and the files written for this run. */
export interface SettingsSources {
  readonly urls: Readonly<Record<ServiceName, string>>;
  readonly files: DemoFiles;
  readonly clientsFile: string;
  readonly providersFile: string;
  readonly appsFile: string;
  readonly clients: DemoClients;
  readonly wireDomain: string;
  /** The team every account registered during the demo joins (Wire devices need one). */
  readonly teamId: string;
  /** The proxy's bootstrap administrator, a user of auth-server (registered by the oCIS journey). */
  readonly ocisAdmin: string;
}

type Env = Record<string, string>;

/**
 * Each service's environment, as an operator would set it (see each
 * service's README), wiring the services to each other: the proxy to
 * auth-server (the IdP) and to dav-storage, dav-storage to the proxy's
 * JWKS, acme-resource to auth-server for both Wire challenges; the proxy
 * names its administrator, a user of auth-server.
 */
export function serviceSettings(sources: SettingsSources): Record<ServiceName, Env> {
  const { urls, files } = sources;
  return {
    'auth-server': {
      KEYS_DIR: files.authServerKeysDir,
      CLIENTS_FILE: sources.clientsFile,
      PROVIDERS_FILE: sources.providersFile,
      DEV_SEED: 'false',
      WIRE_DOMAIN: sources.wireDomain,
      DEFAULT_TEAM_ID: sources.teamId,
    },
    'acme-resource': {
      ACME_CA_DIR: files.acmeCaDir,
      ACME_WIRE_DOMAIN: sources.wireDomain,
      ACME_WIRE_BACKEND_URL: urls['auth-server'],
      ACME_WIRE_OIDC_ISSUER: urls['auth-server'],
      ACME_WIRE_OIDC_CLIENT_ID: sources.clients.wire.clientId,
    },
    'ip-service': {
      IP_APPS_FILE: sources.appsFile,
      IP_KEYS_DIR: files.ipServiceKeysDir,
    },
    proxy: {
      PROXY_ROUTES: `/dav=${urls['dav-storage']}`,
      PROXY_OIDC_ISSUERS: urls['auth-server'],
      PROXY_PROVISIONING: 'open',
      // auth-server gives nobody an admin scope or group: its administrator is named here.
      PROXY_ADMIN_USERS: sources.ocisAdmin,
      PROXY_INTERNAL_TOKEN_KEY: files.proxyInternalTokenKey,
    },
    'idopte-bridge': {
      IDOPTE_PUBLIC_KEYS: files.idopte.publicKeys,
      IDOPTE_SERVICE_KEY: files.idopte.serviceKey,
      IDOPTE_SERVICE_CERT: files.idopte.serviceCert,
    },
    'dav-storage': {
      DAV_STORAGE_DATA_DIR: files.davDataDir,
      DAV_STORAGE_PROXY_JWKS_URL: `${urls.proxy}/.well-known/jwks.json`,
      DAV_STORAGE_TOKEN_ISSUER: urls.proxy,
    },
  };
}

/** The settings every replica gets: loopback only, its public URL, and quiet unless asked otherwise (the demo's own lines are the output). */
export function replicaSettings(publicUrl: string, port: number, logLevel: string): Env {
  return { HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: publicUrl, LOG_LEVEL: logLevel };
}
