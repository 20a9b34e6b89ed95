/** Where each endpoint is mounted; the discovery document is built from the same table. */
export const UP_PATHS = {
  sign: '/up/sign',
  token: '/up/token',
  verify: '/up/token/verify',
  refresh: '/up/token/refresh',
  revoke: '/up/token/revoke',
  discovery: '/.well-known/openid-configuration',
  jwks: '/.well-known/jwks.json',
} as const;
