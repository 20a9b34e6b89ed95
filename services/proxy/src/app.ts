import { ConfigError, createServiceApp, sendJson, type BuiltService, type ServiceDependencies } from '@sigil/service-kit';
import type { JwsAlgorithm } from '@sigil/tokens';
import { AccountResolver } from './accounts/account-resolver.js';
import { CallerAuthenticator } from './accounts/caller-authenticator.js';
import type { ProxyConfig } from './config.js';
import type { AdminPolicy } from './domain/admin-policy.js';
import { UpstreamForwarder } from './forward/upstream-forwarder.js';
import { accountApi } from './http/account-api.js';
import { adminApi } from './http/admin-api.js';
import { authenticationResponse } from './http/authentication-response.js';
import { proxyRoutes } from './http/proxy-routes.js';
import { loadInternalTokenKeys } from './keys/internal-token-keys.js';
import { InternalTokenMinter } from './keys/internal-token-minter.js';
import { GroupDirectory } from './ldap/group-directory.js';
import { BearerIdentities } from './oidc/bearer-identities.js';
import { TrustedIssuers } from './oidc/issuers.js';
import { REPO_PLACEHOLDER } from './config.js';
import { resolveRepoPath } from './repo-path.js';
import { AccountStore } from './store/account-store.js';
import { AppPasswordStore } from './store/app-password-store.js';
import { IdentityCache } from './store/identity-cache.js';
import { LegacyUserCache } from './store/legacy-user-cache.js';

function groupDirectory(config: ProxyConfig): { groups: GroupDirectory; allowedGroups: string[]; loginClaim: string } | undefined {
  if (config.provisioning !== 'ldap-groups') return undefined;
  const required = { PROXY_LDAP_URL: config.ldapUrl, PROXY_LDAP_BIND_DN: config.ldapBindDn, PROXY_LDAP_BIND_PASSWORD: config.ldapBindPassword, PROXY_LDAP_USER_BASE_DN: config.ldapUserBaseDn, PROXY_LDAP_GROUP_BASE_DN: config.ldapGroupBaseDn };
  for (const [name, value] of Object.entries(required)) if (!value) throw new ConfigError(name, 'is required when PROXY_PROVISIONING=ldap-groups');
  if (!config.ldapAllowedGroups?.length) throw new ConfigError('PROXY_LDAP_ALLOWED_GROUPS', 'is required when PROXY_PROVISIONING=ldap-groups');
  const groups = new GroupDirectory({
    url: config.ldapUrl!,
    startTls: config.ldapStartTls,
    caFile: config.ldapCaFile,
    bindDn: config.ldapBindDn!,
    bindPassword: config.ldapBindPassword!,
    userBaseDn: config.ldapUserBaseDn!,
    loginAttribute: config.ldapLoginAttribute,
    groupBaseDn: config.ldapGroupBaseDn!,
    timeoutMs: config.ldapTimeoutMs,
  });
  return { groups, allowedGroups: config.ldapAllowedGroups, loginClaim: config.ldapLoginClaim };
}

/**
 * Who may use the admin API. A `PROXY_ADMIN_USERS` entry without an issuer
 * is at the first trusted issuer (where opaque tokens go); one with an
 * issuer must name a trusted one, or it could never match.
 */
function adminPolicyOf(config: ProxyConfig): AdminPolicy {
  const users = (config.adminUsers ?? []).map(({ issuer, username }) => {
    if (issuer !== undefined && !config.oidcIssuers.includes(issuer)) {
      throw new ConfigError('PROXY_ADMIN_USERS', `"${issuer}|${username}" names an issuer that is not in PROXY_OIDC_ISSUERS (${config.oidcIssuers.join(', ')})`);
    }
    return { iss: issuer ?? config.oidcIssuers[0]!, username };
  });
  return { group: config.adminGroup, scope: config.adminScope, users };
}

/** Builds the proxy app from its dependencies; tests call this through `startService`. */
export async function buildApp(deps: ServiceDependencies, config: ProxyConfig): Promise<BuiltService> {
  // Settings that depend on each other are checked before anything is loaded or generated.
  const directory = groupDirectory(config);
  const adminPolicy = adminPolicyOf(config);
  if (adminPolicy.users.length > 0) deps.logger.info({ adminUsers: adminPolicy.users.map((user) => `${user.iss}|${user.username}`) }, 'bootstrap administrators (PROXY_ADMIN_USERS) may use the admin API');
  const keys = await loadInternalTokenKeys({
    source: resolveRepoPath(config.internalTokenKey),
    developmentPath: resolveRepoPath(`${REPO_PLACEHOLDER}/.sigil/proxy/internal-token-key.pem`),
    lifetimeSeconds: config.internalTokenLifetimeSeconds,
    logger: deps.logger,
  });
  const issuers = new TrustedIssuers(config.oidcIssuers, config.idpTimeoutMs);
  const identities = new BearerIdentities({
    issuers,
    cache: new IdentityCache(deps.store),
    audience: config.oidcAudience ?? deps.publicUrl,
    algorithms: config.oidcAlgorithms as JwsAlgorithm[],
    identityTtlMs: config.identityCacheSeconds * 1000,
    refusedTtlMs: config.rejectedTokenCacheSeconds * 1000,
    idpTimeoutMs: config.idpTimeoutMs,
  });
  const accountStore = new AccountStore(deps.store);
  const appPasswords = new AppPasswordStore(deps.store);
  const callers = new CallerAuthenticator(identities, appPasswords, accountStore);
  const accounts = new AccountResolver({
    accounts: accountStore,
    provisioning: config.provisioning,
    directory,
    legacy: config.legacyUrl
      ? { url: config.legacyUrl, cache: new LegacyUserCache(deps.store), cacheTtlMs: config.identityCacheSeconds * 1000, timeoutMs: config.upstreamTimeoutMs }
      : undefined,
  });
  const minter = new InternalTokenMinter(keys, deps.publicUrl, config.internalTokenLifetimeSeconds);
  const forwarder = new UpstreamForwarder();
  const loginUrl = config.loginUrl ?? config.oidcIssuers[0]!;
  const { app } = createServiceApp({
    ...deps,
    directRoutes: [
      {
        method: 'GET',
        path: '/.well-known/jwks.json',
        handle(_req, res) {
          res.setHeader('cache-control', 'public, max-age=300');
          sendJson(res, keys.jwks(), 200, 'application/jwk-set+json; charset=utf-8');
        },
      },
      // The request flow: the hot path, and the route table never holds the proxy's own /api paths.
      ...proxyRoutes({
        routes: config.routes,
        publicOrigin: new URL(deps.publicUrl).origin,
        callers,
        accounts,
        minter,
        forwarder,
        defaultAudience: config.internalTokenAudience,
        adminPolicy,
        legacyUrl: config.legacyUrl,
        upstreamTimeoutMs: config.upstreamTimeoutMs,
        trustForwarded: deps.trustProxy === true,
        loginUrl,
      }),
    ],
    routes: (router) => {
      router.use(accountApi(callers, accounts, appPasswords));
      router.use(adminApi(callers, accountStore, appPasswords, adminPolicy));
    },
    errorHandlers: [authenticationResponse(loginUrl)],
  });
  return { app, close: async () => forwarder.close() };
}
