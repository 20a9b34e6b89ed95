/**
 * Who is calling, as the IdP vouches for it: the subject, its issuer, and
 * the userinfo claims the proxy uses (OIDC Core §5.1).
 */
export interface Identity {
  readonly sub: string;
  readonly iss: string;
  readonly username: string | undefined;
  readonly displayName: string | undefined;
  readonly email: string | undefined;
  readonly groups: readonly string[];
  readonly roles: readonly string[];
  /** Scopes of a JWT access token (`scope`, RFC 9068 §2.2.3); empty for opaque tokens. */
  readonly scopes: readonly string[];
  /** Every userinfo claim, for lookups by name (the LDAP login claim). */
  readonly claims: Readonly<Record<string, unknown>>;
}

/** The key accounts are filed under: `sub@iss` (a subject is unique only within its issuer, OIDC Core §2). */
export function subjectKey(identity: Pick<Identity, 'sub' | 'iss'>): string {
  return `${identity.sub}@${identity.iss}`;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function texts(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Reads an Identity from a userinfo response (already checked to carry a string `sub`). */
export function identityFromUserinfo(iss: string, claims: Record<string, unknown>, scope: unknown): Identity {
  return {
    sub: claims.sub as string,
    iss,
    username: text(claims.preferred_username),
    displayName: text(claims.name),
    email: text(claims.email),
    groups: texts(claims.groups),
    roles: texts(claims.roles),
    scopes: typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [],
    claims,
  };
}
