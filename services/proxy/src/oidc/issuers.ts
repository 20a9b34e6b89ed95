import { RemoteJwks } from '@sigil/tokens';
import { idpUnavailable } from '../problems.js';

/** The members of an OpenID Provider's metadata the proxy uses (OIDC Discovery §3). */
export interface ProviderMetadata {
  readonly issuer: string;
  readonly jwks_uri: string;
  readonly userinfo_endpoint: string;
  readonly authorization_endpoint?: string;
}

interface CachedMetadata {
  readonly metadata: ProviderMetadata;
  readonly fetchedAt: number;
}

/** How long discovery results are reused. */
const METADATA_MAX_AGE_MS = 10 * 60_000;

function isMetadata(value: unknown): value is ProviderMetadata {
  const doc = value as Partial<ProviderMetadata> | null;
  return typeof doc === 'object' && doc !== null && typeof doc.issuer === 'string' && typeof doc.jwks_uri === 'string' && typeof doc.userinfo_endpoint === 'string';
}

/**
 * The trusted issuers and what discovery says about each: metadata fetched
 * on first use from `{issuer}/.well-known/openid-configuration`, reused for
 * ten minutes, one fetch at a time per issuer; and each issuer's JWKS.
 */
export class TrustedIssuers {
  readonly #issuers: readonly string[];
  readonly #timeoutMs: number;
  readonly #metadata = new Map<string, CachedMetadata>();
  readonly #pending = new Map<string, Promise<ProviderMetadata>>();
  readonly #jwks = new Map<string, RemoteJwks>();

  constructor(issuers: readonly string[], timeoutMs: number) {
    if (issuers.length === 0) throw new TypeError('at least one trusted issuer is needed');
    this.#issuers = issuers;
    this.#timeoutMs = timeoutMs;
  }

  /** The issuer opaque tokens are sent to. */
  get primary(): string {
    return this.#issuers[0]!;
  }

  isTrusted(issuer: unknown): issuer is string {
    return typeof issuer === 'string' && this.#issuers.includes(issuer);
  }

  metadata(issuer: string): Promise<ProviderMetadata> {
    const cached = this.#metadata.get(issuer);
    if (cached && Date.now() - cached.fetchedAt < METADATA_MAX_AGE_MS) return Promise.resolve(cached.metadata);
    let pending = this.#pending.get(issuer);
    if (!pending) {
      pending = this.#discover(issuer).finally(() => this.#pending.delete(issuer));
      this.#pending.set(issuer, pending);
    }
    return pending;
  }

  /** The issuer's keys, as its metadata names them. */
  async jwks(issuer: string): Promise<RemoteJwks> {
    const metadata = await this.metadata(issuer);
    let keys = this.#jwks.get(issuer);
    if (!keys) {
      keys = new RemoteJwks(metadata.jwks_uri, { timeoutMs: this.#timeoutMs, cooldownMs: 10_000 });
      this.#jwks.set(issuer, keys);
    }
    return keys;
  }

  async #discover(issuer: string): Promise<ProviderMetadata> {
    let body: unknown;
    try {
      const response = await fetch(`${issuer}/.well-known/openid-configuration`, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new Error(`discovery answered ${response.status}`);
      }
      body = await response.json();
    } catch (cause) {
      throw idpUnavailable('The identity provider could not be reached', cause);
    }
    // OIDC Discovery §4.3: the issuer in the document must be exactly the one asked about.
    if (!isMetadata(body) || body.issuer !== issuer) throw idpUnavailable('The identity provider published unusable metadata');
    this.#metadata.set(issuer, { metadata: body, fetchedAt: Date.now() });
    return body;
  }
}
