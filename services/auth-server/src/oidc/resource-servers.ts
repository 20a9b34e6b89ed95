import { errors, type AsymmetricSigningAlgorithm, type ResourceServer } from 'oidc-provider';
import type { ResourceServerDefinition } from '../setup/clients-file.js';

/** The resource indicator as oidc-provider compares it (URL-normalized). */
function normalize(resource: string): string | undefined {
  return URL.parse(resource)?.href;
}

export interface ResourceServerDefaults {
  /** Seconds, when the resource server sets none. */
  readonly accessTokenTtl: number;
  /** The JWS algorithm of JWT access tokens: the current signing key's. */
  readonly signingAlgorithm: string;
}

/**
 * The registered resource servers (RFC 8707): which resource indicators
 * exist, what each token for them looks like (RFC 9068 JWT or opaque), and
 * which of their scopes a client may have (those its registered `scope` lists).
 */
export class ResourceServers {
  readonly #byResource: ReadonlyMap<string, ResourceServerDefinition>;
  readonly #defaults: ResourceServerDefaults;

  constructor(definitions: readonly ResourceServerDefinition[], defaults: ResourceServerDefaults) {
    this.#byResource = new Map(definitions.map((definition) => [normalize(definition.resource)!, definition]));
    this.#defaults = defaults;
  }

  get definitions(): readonly ResourceServerDefinition[] {
    return [...this.#byResource.values()];
  }

  /** Every scope of every resource server (they are not OpenID Connect scopes). */
  get scopes(): ReadonlySet<string> {
    return new Set(this.definitions.flatMap((definition) => definition.scopes));
  }

  /**
   * oidc-provider's `getResourceServerInfo`: an unknown resource, or one of
   * whose scopes the client may have none, is `invalid_target` (RFC 8707 §2).
   */
  info(resource: string, clientScope: string | undefined): ResourceServer {
    const definition = this.#byResource.get(normalize(resource) ?? '');
    if (definition === undefined) throw new errors.InvalidTarget('unknown resource indicator');
    const allowed = new Set((clientScope ?? '').split(' '));
    const scope = definition.scopes.filter((candidate) => allowed.has(candidate)).join(' ');
    if (scope === '') throw new errors.InvalidTarget('the client may not request access tokens for this resource');
    const info: ResourceServer = {
      scope,
      audience: definition.audience,
      accessTokenTTL: definition.accessTokenTtl ?? this.#defaults.accessTokenTtl,
      accessTokenFormat: definition.accessTokenFormat,
    };
    if (definition.accessTokenFormat === 'jwt') info.jwt = { sign: { alg: this.#defaults.signingAlgorithm as AsymmetricSigningAlgorithm } };
    return info;
  }

  /**
   * The resource a token request without `resource` means: the one resource
   * server whose scopes cover the requested ones (so a service asking
   * client credentials for `scope=ims:read` gets a token for that API).
   */
  defaultFor(requestedScopes: Iterable<string>): string | undefined {
    const requested = [...requestedScopes];
    if (requested.length === 0) return undefined;
    const candidates = this.definitions.filter((definition) => requested.some((scope) => definition.scopes.includes(scope)));
    return candidates.length === 1 ? candidates[0]!.resource : undefined;
  }
}
