import type { JsonWebKey } from 'node:crypto';

/** Registered claims (RFC 7519 §4.1) and any others. NumericDates are seconds since the epoch. */
export interface JwtClaims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  jti?: string;
  [claim: string]: unknown;
}

/** Header parameters a caller may set; `alg` always comes from the signing key. */
export interface JwsHeaderParameters {
  typ?: string;
  kid?: string;
  cty?: string;
  jwk?: JsonWebKey;
  [parameter: string]: unknown;
}

/** A protected header as received. */
export interface JwsHeader extends JwsHeaderParameters {
  alg: string;
}
