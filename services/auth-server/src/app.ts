import { randomBytes } from 'node:crypto';
import type Provider from 'oidc-provider';
import type { ClientMetadata } from 'oidc-provider';
import { ConfigError, createServiceApp, type BuiltService, type ServiceDependencies } from '@sigil/service-kit';
import type { AuthServerConfig } from './config.js';
import { CsrfTokens } from './domain/csrf.js';
import { hashPassword, needsRehash, verifyPassword, type ScryptParameters } from './domain/password-hash.js';
import { signIn } from './domain/sign-in.js';
import { TokenCipher } from './domain/token-cipher.js';
import { ImsTokens } from './federation/ims-tokens.js';
import { UpstreamProvider } from './federation/upstream-provider.js';
import { CsrfGuard } from './http/csrf-guard.js';
import { pageErrorHandler } from './http/page-response.js';
import { mountRoutes, type RouteComponents } from './http/routes.js';
import { providerRoutes } from './http/provider-routes.js';
import { deviceRoutes } from './http/device-routes.js';
import { createProvider } from './oidc/create-provider.js';
import { providerPages } from './oidc/provider-pages.js';
import { ResourceServers } from './oidc/resource-servers.js';
import { loadClientsFile, type ClientsConfiguration } from './setup/clients-file.js';
import { defaultKeysDir } from './setup/development-files.js';
import { announceDevelopmentSeed, DEMO_USERNAME, developmentClients } from './setup/development-seed.js';
import { loadDevelopmentSecrets, resolveSecrets, type DevelopmentSecrets } from './setup/secrets.js';
import { loadProvidersFile, type ExternalProviderDefinition } from './setup/providers-file.js';
import { loadSigningKeys } from './setup/signing-keys.js';
import { loadBackendKeys } from './setup/wire-backend-keys.js';
import { AccountStore } from './store/account-store.js';
import { DeviceNonces, DeviceStore } from './store/device-store.js';
import { ExternalLinks } from './store/external-links.js';
import { LoginAttempts } from './store/login-attempts.js';
import { oidcStorage } from './store/oidc-storage.js';
import { UpstreamAuthorizations } from './store/upstream-authorizations.js';
import { DeviceAccessTokenIssuer } from './wire/device-access-token-issuer.js';
import { AccessTokenOwners } from './oidc/access-token-owners.js';

/** The account console's own client: first party, so signing in to it asks no consent. */
export const ACCOUNT_CLIENT_ID = 'sigil-account';
/** Resource indicator of the IMS token API (RFC 8707); tokens for it are opaque and carry `ims:read`. */
export const IMS_API_SCOPE = 'ims:read';

function accountClient(publicUrl: string): ClientMetadata {
  return {
    client_id: ACCOUNT_CLIENT_ID,
    client_name: 'Sigil account',
    application_type: 'web',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: [`${publicUrl}/account/callback`],
    scope: 'openid profile',
    first_party: true,
  };
}

/** External providers from the providers file; in production only over https. */
async function loadExternalProviders(path: string | undefined, production: boolean): Promise<ExternalProviderDefinition[]> {
  if (path === undefined) return [];
  const providers = await loadProvidersFile(path);
  for (const provider of providers) {
    const urls = [provider.issuer, ...Object.values(provider.endpoints ?? {})].filter((url): url is string => url !== undefined);
    if (production && urls.some((url) => !url.startsWith('https:'))) {
      throw new ConfigError('PROVIDERS_FILE', `provider ${provider.id}: only https URLs are allowed when NODE_ENV=production`);
    }
  }
  return providers;
}

/** Every configured client is checked by oidc-provider now, so a bad clients file stops start-up. */
async function validateClients(provider: Provider, clients: readonly ClientMetadata[]): Promise<void> {
  for (const { client_id: clientId } of clients) {
    try {
      await provider.Client.find(clientId);
    } catch (error) {
      const description = (error as { error_description?: unknown }).error_description;
      throw new ConfigError('CLIENTS_FILE', `client ${clientId}: ${typeof description === 'string' ? description : (error as Error).message}`);
    }
  }
}

/** Builds the auth-server app from its dependencies; tests call this through `startService`. */
export async function buildApp(deps: ServiceDependencies, config: AuthServerConfig): Promise<BuiltService> {
  const { logger, store, publicUrl } = deps;
  const production = config.nodeEnv === 'production';
  if (publicUrl.startsWith('https:') && deps.trustProxy !== true) {
    logger.warn({ publicUrl }, 'PUBLIC_URL is https but TRUST_PROXY is off: endpoint URLs and cookies follow the plain-HTTP connection from the ingress');
  }
  const keysDir = config.keysDir ?? defaultKeysDir();
  const seeding = !production && config.devSeed && config.clientsFile === undefined;
  if (production && config.clientsFile === undefined) throw new ConfigError('CLIENTS_FILE', 'is required when NODE_ENV=production');

  const needsDevelopmentSecrets = !production && (seeding || !config.cookieKeys?.length || !config.dpopNonceSecret || !config.imsTokenKeys?.length);
  const development: DevelopmentSecrets | undefined = needsDevelopmentSecrets ? await loadDevelopmentSecrets(keysDir, logger) : undefined;
  const externalProviders = await loadExternalProviders(config.providersFile, production);
  const secrets = resolveSecrets(
    { cookieKeys: config.cookieKeys, dpopNonceSecret: config.dpopNonceSecret, imsTokenKeys: config.imsTokenKeys, imsTokenKeysRequired: externalProviders.length > 0 },
    development,
  );
  const signing = await loadSigningKeys({ signingKeys: config.signingKeys, signingKeyNext: config.signingKeyNext, keysDir, production }, logger);

  try {
    const backendKeys = await loadBackendKeys({ file: config.wireBackendKeys, keysDir, production }, logger);
    const configured: ClientsConfiguration =
      config.clientsFile !== undefined
        ? await loadClientsFile(config.clientsFile)
        : seeding && development !== undefined
          ? developmentClients(development)
          : { clients: [], resourceServers: [] };
    if (configured.clients.some((client) => client.client_id === ACCOUNT_CLIENT_ID)) {
      throw new ConfigError('CLIENTS_FILE', `client id ${ACCOUNT_CLIENT_ID} is reserved for the account console`);
    }
    const clients = [...configured.clients, accountClient(publicUrl)];
    const imsResource = `${publicUrl}/internal/ims`;
    const resourceServers = new ResourceServers(
      [
        ...configured.resourceServers,
        { resource: imsResource, audience: imsResource, scopes: [IMS_API_SCOPE], accessTokenFormat: 'opaque', accessTokenTtl: undefined },
      ],
      { accessTokenTtl: config.accessTokenTtl, signingAlgorithm: signing.algorithm },
    );

    const accounts = new AccountStore(store);
    const attempts = new LoginAttempts(store, {
      maxFailures: config.loginMaxFailures,
      maxAttemptsPerAddress: config.loginMaxAttemptsPerAddress,
      windowMs: config.loginWindow * 1000,
    });
    const oidc = oidcStorage(store);
    const provider = createProvider({
      issuer: publicUrl,
      trustProxy: deps.trustProxy === true,
      adapter: oidc.adapter,
      signingKeys: signing.keys,
      signingAlgorithm: signing.algorithm,
      cookieKeys: secrets.cookieKeys,
      dpopNonceSecret: secrets.dpopNonceSecret,
      clients,
      resourceServers,
      lifetimes: { accessToken: config.accessTokenTtl, refreshToken: config.refreshTokenTtl, session: config.sessionTtl },
      accounts,
      pages: providerPages,
      logger,
    });
    await validateClients(provider, clients);

    const scrypt: ScryptParameters = { logN: config.passwordScryptCost, r: 8, p: 1 };
    const hash = (password: string) => hashPassword(password, scrypt);
    const dummyHash = await hash(randomBytes(16).toString('base64url'));
    if (seeding && development !== undefined) {
      if ((await accounts.findByUsername(DEMO_USERNAME)) === undefined) {
        await accounts.create({
          username: DEMO_USERNAME,
          displayName: 'Demo User',
          email: 'demo@example.test',
          emailVerified: true,
          passwordHash: await hash(development.demoPassword),
          teamId: config.defaultTeamId ?? null,
        });
      }
      announceDevelopmentSeed(logger, keysDir, publicUrl);
    }

    const upstreams = new Map(externalProviders.map((definition) => [definition.id, new UpstreamProvider(definition)]));
    let federation: RouteComponents['federation'];
    if (upstreams.size > 0) {
      const cipher = new TokenCipher(secrets.imsTokenKeys);
      const links = new ExternalLinks(store, cipher);
      federation = {
        links,
        cipher,
        pending: new UpstreamAuthorizations(store),
        imsTokens: new ImsTokens(links, upstreams, store, { refreshMarginSeconds: 60, refreshLockMs: 10_000 }),
      };
    }

    const deviceNonces = new DeviceNonces(store, config.wireNonceTtl);
    const devices = {
      owners: new AccessTokenOwners(provider, oidc.stored),
      accounts,
      devices: new DeviceStore(store),
      nonces: deviceNonces,
      backendKeys,
      publicUrl,
      domain: config.wireDomain,
      issuer: new DeviceAccessTokenIssuer(
        {
          publicUrl,
          domain: config.wireDomain,
          accessTokenTtl: config.wireAccessTokenTtl,
          proofMaxLifetime: config.wireProofMaxLifetime,
          leewaySeconds: config.wireProofLeeway,
          proofMaxAge: config.wireNonceTtl,
        },
        backendKeys,
        deviceNonces,
      ),
    };

    const { app } = createServiceApp({
      ...deps,
      directRoutes: [...providerRoutes(provider, publicUrl), ...deviceRoutes(devices)],
      routes(app) {
        mountRoutes(app, {
          provider,
          publicUrl,
          csrf: new CsrfGuard(new CsrfTokens(secrets.cookieKeys)),
          accounts,
          attempts,
          hashPassword: hash,
          registrationOpen: config.registration,
          teamId: config.defaultTeamId ?? null,
          accountClientId: ACCOUNT_CLIENT_ID,
          upstreams,
          federation,
          ims: { resource: imsResource, scope: IMS_API_SCOPE },
          signIn: (input) =>
            signIn(
              {
                findAccount: (username) => accounts.findByUsername(username),
                saveAccount: (account) => accounts.save(account),
                admitAddress: (address) => attempts.admitAddress(address),
                admitUsername: (username) => attempts.admitUsername(username),
                recordFailure: (username) => attempts.recordFailure(username),
                clearFailures: (username) => attempts.clearFailures(username),
                verifyPassword,
                needsRehash: (encoded) => needsRehash(encoded, scrypt),
                hashPassword: hash,
                dummyHash,
              },
              input,
            ),
        });
      },
      errorHandlers: [pageErrorHandler()],
    });
    return { app, close: () => signing.close() };
  } catch (error) {
    await signing.close();
    throw error;
  }
}
