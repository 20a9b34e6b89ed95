import type { JsonWebKey, KeyObject } from 'node:crypto';
import { systemClock, type Clock } from './clock.js';
import { selectJwk } from './jwk-selection.js';
import type { JwsHeader } from './jwt-types.js';
import { TokenError } from './token-error.js';
import { importPublicJwk, type KeyResolver } from './verification-keys.js';

export interface RemoteJwksOptions {
  /** Least time between two fetches, in ms, however many unknown kids arrive. Default 30 s. */
  cooldownMs?: number;
  /** How long one fetch may take, in ms. Default 5 s. */
  timeoutMs?: number;
  /** How long fetched keys are used before they are fetched again, in ms. Default 10 min. */
  maxAgeMs?: number;
  /** The fetch to use; default the global one. */
  fetch?: typeof globalThis.fetch;
  clock?: Clock;
}

interface FetchedKeys {
  readonly jwks: readonly JsonWebKey[];
  readonly fetchedAt: number;
  /** Keys imported so far, by their JWK; public keys only, so keeping them is safe. */
  readonly imported: Map<JsonWebKey, KeyObject>;
}

const DEFAULT_COOLDOWN_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_MAX_AGE_MS = 600_000;

function isJwk(value: unknown): value is JsonWebKey {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An issuer's JWKS (RFC 7517 §5) as a resource server sees it: fetched once
 * and cached, fetched again when a token names an unknown kid (the issuer has
 * rotated) or the cache is old — but never more than once per cooldown, and
 * concurrent lookups share a single fetch, so a flood of tokens with made-up
 * kids cannot turn into a flood of requests to the issuer. Usable as the
 * `keys` of verifyJwt.
 */
export class RemoteJwks implements KeyResolver {
  readonly #url: string;
  readonly #cooldownMs: number;
  readonly #timeoutMs: number;
  readonly #maxAgeMs: number;
  readonly #fetch: typeof globalThis.fetch;
  readonly #clock: Clock;
  #keys: FetchedKeys | undefined;
  #lastAttemptAt = Number.NEGATIVE_INFINITY;
  #inFlight: Promise<void> | undefined;

  constructor(url: string | URL, options: RemoteJwksOptions = {}) {
    this.#url = new URL(url).href;
    this.#cooldownMs = options.cooldownMs ?? DEFAULT_COOLDOWN_MS;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#clock = options.clock ?? systemClock;
  }

  async resolveKey(header: JwsHeader): Promise<KeyObject> {
    const cached = this.#fresh();
    if (cached) {
      try {
        return this.#import(cached, header);
      } catch (error) {
        // Only an unknown key is a reason to ask the issuer again.
        if (!(error instanceof TokenError) || error.code !== 'TOKEN_KEY_NOT_FOUND') throw error;
      }
    }
    await this.#refetchUnlessCoolingDown();
    const keys = this.#fresh();
    if (!keys) throw new TokenError('TOKEN_KEYS_UNAVAILABLE', 'the issuer keys could not be fetched');
    return this.#import(keys, header);
  }

  /** Fetches the key set now (sharing a fetch already under way), cooldown or not. */
  refresh(): Promise<void> {
    if (!this.#inFlight) {
      this.#lastAttemptAt = this.#clock();
      this.#inFlight = this.#load().finally(() => {
        this.#inFlight = undefined;
      });
    }
    return this.#inFlight;
  }

  async #refetchUnlessCoolingDown(): Promise<void> {
    if (this.#inFlight || this.#clock() - this.#lastAttemptAt >= this.#cooldownMs) await this.refresh();
  }

  #fresh(): FetchedKeys | undefined {
    const keys = this.#keys;
    return keys && this.#clock() - keys.fetchedAt < this.#maxAgeMs ? keys : undefined;
  }

  #import(keys: FetchedKeys, header: JwsHeader): KeyObject {
    const jwk = selectJwk(keys.jwks, header);
    let key = keys.imported.get(jwk);
    if (!key) {
      key = importPublicJwk(jwk);
      keys.imported.set(jwk, key);
    }
    return key;
  }

  async #load(): Promise<void> {
    let body: unknown;
    try {
      const response = await this.#fetch(this.#url, {
        headers: { accept: 'application/jwk-set+json, application/json' },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new Error(`HTTP status ${response.status}`);
      }
      body = await response.json();
    } catch (cause) {
      throw new TokenError('TOKEN_KEYS_UNAVAILABLE', `fetching the JWKS at ${this.#url} failed`, { cause });
    }
    const keys = typeof body === 'object' && body !== null ? (body as { keys?: unknown }).keys : undefined;
    if (!Array.isArray(keys)) throw new TokenError('TOKEN_KEYS_UNAVAILABLE', `the document at ${this.#url} is not a JWKS`);
    this.#keys = { jwks: keys.filter(isJwk), fetchedAt: this.#clock(), imported: new Map() };
  }
}
