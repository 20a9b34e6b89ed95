import { commonSettings, setting, settingTypes, type Settings } from '@sigil/service-kit';
import { z } from 'zod';
import { parseAdminUsers } from './domain/admin-users.js';
import { parseRouteTable } from './domain/route-table.js';

/** Where a development default points inside the repository; resolved by `repo-path.ts`. */
export const REPO_PLACEHOLDER = '<repo>';

const urlList = z
  .string()
  .transform((text) => text.split(',').map((item) => item.trim()).filter(Boolean))
  .pipe(z.array(settingTypes.url).min(1, 'needs at least one URL'));

const textList = z.string().transform((text) => text.split(',').map((item) => item.trim()).filter(Boolean));

const milliseconds = z.coerce.number().int().min(1).max(600_000);

/** Every setting of proxy: env var, CLI flag (derived), default and meaning. */
export const settings = {
  ...commonSettings(4003),

  // Forwarding
  routes: setting(
    'PROXY_ROUTES',
    'Route table: comma-separated `prefix=upstream-url[|audience]`. A request whose path is the prefix or under it goes to that upstream, its path kept (appended to the upstream URL\'s path); the internal token names `audience` (default `PROXY_INTERNAL_TOKEN_AUDIENCE`). Longest prefix wins.',
    z.string().transform((text, ctx) => {
      try {
        return parseRouteTable(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
    { developmentDefault: '/dav=http://localhost:4005' },
  ),
  upstreamTimeoutMs: setting(
    'PROXY_UPSTREAM_TIMEOUT_MS',
    'How long an upstream may take to send its response headers before the caller gets a 504 problem.',
    milliseconds,
    { default: '30000' },
  ),

  // Who is calling: OpenID Connect
  oidcIssuers: setting(
    'PROXY_OIDC_ISSUERS',
    'Trusted OpenID Connect issuers, comma-separated. A JWT names its issuer in `iss`; an opaque token is sent to the first one\'s userinfo endpoint. A JWT from any other issuer is answered 503 (unknown IdP), never passed through.',
    urlList,
    { developmentDefault: 'http://localhost:4000' },
  ),
  oidcAudience: setting(
    'PROXY_OIDC_AUDIENCE',
    'The `aud` a JWT access token must name (the proxy as a resource server, RFC 9068 §4). Default: `PUBLIC_URL`.',
    settingTypes.optionalText,
  ),
  oidcAlgorithms: setting(
    'PROXY_OIDC_ALGORITHMS',
    'JWS algorithms accepted on JWT access tokens, comma-separated.',
    textList.pipe(z.array(z.enum(['RS256', 'PS256', 'ES256', 'ES384', 'ES512', 'EdDSA'])).min(1)),
    { default: 'RS256,PS256,ES256,EdDSA' },
  ),
  idpTimeoutMs: setting(
    'PROXY_IDP_TIMEOUT_MS',
    'How long a call to the IdP (discovery, JWKS, userinfo) may take before the caller gets a 503 problem.',
    milliseconds,
    { default: '5000' },
  ),
  identityCacheSeconds: setting(
    'PROXY_IDENTITY_CACHE_SECONDS',
    'Longest time a token\'s userinfo result is reused (cached in the store under the token\'s SHA-256); never past the token\'s own `exp`.',
    settingTypes.positiveInt,
    { default: '60' },
  ),
  rejectedTokenCacheSeconds: setting(
    'PROXY_REJECTED_TOKEN_CACHE_SECONDS',
    'How long a refused token is remembered as refused, so a flood of bad tokens does not reach the IdP.',
    settingTypes.positiveInt,
    { default: '10' },
  ),
  loginUrl: setting(
    'PROXY_LOGIN_URL',
    'Where a browser navigation without a valid session is redirected (302). Default: the first trusted issuer.',
    settingTypes.url.optional(),
  ),

  // Accounts
  provisioning: setting(
    'PROXY_PROVISIONING',
    'What happens to a user seen for the first time: `off` (403 until provisioned otherwise), `ldap-groups` (an account is created when the user is a member of one of `PROXY_LDAP_ALLOWED_GROUPS`), or `open` (every user the IdP vouches for; development and demos).',
    z.enum(['off', 'ldap-groups', 'open']),
    { default: 'off', developmentDefault: 'open' },
  ),
  legacyUrl: setting(
    'PROXY_LEGACY_URL',
    'A legacy backend: a user without an account who exists there (`GET {url}/apps/graphapi/v1.0/users/<username>` answers 200) is forwarded to it with the original bearer token.',
    settingTypes.url.optional(),
  ),
  adminGroup: setting(
    'PROXY_ADMIN_GROUP',
    'Members of this group (the token\'s `groups` or `roles` claim, or the account\'s LDAP groups) may use the admin API.',
    settingTypes.text,
    { default: 'sigil-admins' },
  ),
  adminScope: setting(
    'PROXY_ADMIN_SCOPE',
    'A JWT access token whose `scope` holds this value may use the admin API.',
    settingTypes.text,
    { default: 'sigil:admin' },
  ),
  adminUsers: setting(
    'PROXY_ADMIN_USERS',
    'Bootstrap administrators, comma-separated, who may use the admin API whatever their scope or groups: `<username>`, the `preferred_username` the first of `PROXY_OIDC_ISSUERS` reports at userinfo, or `<issuer>|<username>` for another trusted issuer. Bearer tokens only. For an IdP that gives nobody the admin scope or group (auth-server); name only users the IdP keeps unique and does not hand to someone else.',
    z
      .string()
      .transform((text, ctx) => {
        try {
          return parseAdminUsers(text);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      })
      .optional(),
  ),

  // Corporate LDAP directory (PROXY_PROVISIONING=ldap-groups)
  ldapUrl: setting('PROXY_LDAP_URL', 'LDAP server: `ldap://host:389` or `ldaps://host:636`.', z.url({ protocol: /^ldaps?$/ }).optional()),
  ldapStartTls: setting('PROXY_LDAP_START_TLS', 'Upgrade an `ldap://` connection with StartTLS (RFC 4513 §3) before binding.', settingTypes.boolean, { default: 'false' }),
  ldapCaFile: setting('PROXY_LDAP_CA_FILE', 'PEM file of the CA that signed the LDAP server\'s certificate (LDAPS / StartTLS). Default: the system\'s CAs.', settingTypes.optionalText),
  ldapBindDn: setting('PROXY_LDAP_BIND_DN', 'DN the proxy binds as to search users and groups.', settingTypes.optionalText),
  ldapBindPassword: setting('PROXY_LDAP_BIND_PASSWORD', 'Password of `PROXY_LDAP_BIND_DN`.', settingTypes.optionalText, { secret: true }),
  ldapUserBaseDn: setting('PROXY_LDAP_USER_BASE_DN', 'Subtree holding user entries.', settingTypes.optionalText),
  ldapLoginAttribute: setting('PROXY_LDAP_LOGIN_ATTRIBUTE', 'User-entry attribute matched against the login claim.', settingTypes.text, { default: 'uid' }),
  ldapLoginClaim: setting('PROXY_LDAP_LOGIN_CLAIM', 'Userinfo claim whose value finds the user entry.', settingTypes.text, { default: 'preferred_username' }),
  ldapGroupBaseDn: setting('PROXY_LDAP_GROUP_BASE_DN', 'Subtree holding groups (`groupOfNames`/`member`, `groupOfUniqueNames`/`uniqueMember`, `posixGroup`/`memberUid`).', settingTypes.optionalText),
  ldapAllowedGroups: setting(
    'PROXY_LDAP_ALLOWED_GROUPS',
    'DNs of the groups whose members may be provisioned, separated by `;` (a DN holds commas).',
    z.string().transform((text) => text.split(';').map((item) => item.trim()).filter(Boolean)).optional(),
  ),
  ldapTimeoutMs: setting('PROXY_LDAP_TIMEOUT_MS', 'How long an LDAP operation may take before the caller gets a 503 problem.', milliseconds, { default: '5000' }),

  // The internal token
  internalTokenKey: setting(
    'PROXY_INTERNAL_TOKEN_KEY',
    'Private key signing internal tokens (Ed25519 or P-256): PEM, JWK, a file path or a `pkcs11:` URI. In development a missing key file at the default path is generated once.',
    settingTypes.text,
    { secret: true, developmentDefault: `${REPO_PLACEHOLDER}/.sigil/proxy/internal-token-key.pem` },
  ),
  internalTokenLifetimeSeconds: setting(
    'PROXY_INTERNAL_TOKEN_LIFETIME_SECONDS',
    'Lifetime of an internal token, 1 to 60 seconds.',
    z.coerce.number().int().min(1).max(60),
    { default: '30' },
  ),
  internalTokenAudience: setting(
    'PROXY_INTERNAL_TOKEN_AUDIENCE',
    'The `aud` of internal tokens for routes that name none.',
    settingTypes.text,
    { default: 'dav-storage' },
  ),
};

export type ProxyConfig = Settings<typeof settings>;
