import { join } from 'node:path';
import type { ClientMetadata } from 'oidc-provider';
import type { Logger } from '@sigil/service-kit';
import type { ClientsConfiguration } from './clients-file.js';
import type { DevelopmentSecrets } from './secrets.js';

export const DEVELOPMENT_SPA_CLIENT_ID = 'sigil-spa';
export const DEVELOPMENT_SERVICE_CLIENT_ID = 'sigil-service';
export const DEMO_USERNAME = 'demo';

/**
 * What development starts with when no clients file is given: a public
 * single-page application (code + PKCE, refresh tokens), a confidential
 * service client (client credentials for the IMS token API and the
 * resource servers), and the resource servers of the other Sigil services
 * at their development ports.
 */
export function developmentClients(secrets: DevelopmentSecrets): ClientsConfiguration {
  const spa: ClientMetadata = {
    client_id: DEVELOPMENT_SPA_CLIENT_ID,
    client_name: 'Sigil SPA (development)',
    application_type: 'web',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: ['http://localhost:5173/callback', 'http://127.0.0.1:5173/callback'],
    post_logout_redirect_uris: ['http://localhost:5173/', 'http://127.0.0.1:5173/'],
    scope: 'openid profile email groups team offline_access acme storage',
  };
  const service: ClientMetadata = {
    client_id: DEVELOPMENT_SERVICE_CLIENT_ID,
    client_name: 'Sigil service (development)',
    client_secret: secrets.serviceClientSecret,
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    scope: 'ims:read acme storage',
  };
  return {
    clients: [spa, service],
    resourceServers: [
      { resource: 'http://localhost:4001/', audience: 'http://localhost:4001/', scopes: ['acme'], accessTokenFormat: 'jwt', accessTokenTtl: undefined },
      { resource: 'http://localhost:4003/', audience: 'http://localhost:4003/', scopes: ['storage'], accessTokenFormat: 'jwt', accessTokenTtl: undefined },
    ],
  };
}

/** Says what was seeded; the secret and the password stay in the file (secrets never go to logs). */
export function announceDevelopmentSeed(logger: Logger, keysDir: string, publicUrl: string): void {
  logger.info(
    {
      issuer: publicUrl,
      publicClient: DEVELOPMENT_SPA_CLIENT_ID,
      confidentialClient: DEVELOPMENT_SERVICE_CLIENT_ID,
      demoUser: DEMO_USERNAME,
      credentials: `${join(keysDir, 'secrets.json')} (serviceClientSecret, demoPassword)`,
    },
    'development seed: clients and demo user ready',
  );
}
