import { setTimeout as sleep } from 'node:timers/promises';
import type { Store } from '@sigil/store';
import type { ExternalLinks } from '../store/external-links.js';
import { UpstreamGrantRevoked, UpstreamUnavailable, type UpstreamProvider, type UpstreamTokens } from './upstream-provider.js';

export type ImsTokenOutcome =
  | { readonly ok: true; readonly tokens: UpstreamTokens }
  | { readonly ok: false; readonly reason: 'unknown-provider' | 'not-linked' | 'revoked' };

export interface ImsTokenOptions {
  /** Tokens expiring within this many seconds are refreshed before they are handed out. */
  readonly refreshMarginSeconds: number;
  /** How long one replica's refresh may hold the others waiting, in ms. */
  readonly refreshLockMs: number;
  readonly now?: () => number;
}

/**
 * External access tokens for backends: the stored token while it has more
 * than the margin to live, else a refreshed one. One replica refreshes at a
 * time (a lock in the store), since providers that rotate refresh tokens
 * would otherwise see the old one used twice and revoke the grant; the
 * others wait for its result. A refresh the provider refuses
 * (`invalid_grant`) means the user revoked access: the tokens are dropped.
 */
export class ImsTokens {
  readonly #links: ExternalLinks;
  readonly #providers: ReadonlyMap<string, UpstreamProvider>;
  readonly #store: Store;
  readonly #options: Required<ImsTokenOptions>;

  constructor(links: ExternalLinks, providers: ReadonlyMap<string, UpstreamProvider>, store: Store, options: ImsTokenOptions) {
    this.#links = links;
    this.#providers = providers;
    this.#store = store;
    this.#options = { now: Date.now, ...options };
  }

  async validAccessToken(accountId: string, providerId: string): Promise<ImsTokenOutcome> {
    const provider = this.#providers.get(providerId);
    if (provider === undefined) return { ok: false, reason: 'unknown-provider' };
    if ((await this.#links.find(accountId, providerId)) === undefined) return { ok: false, reason: 'not-linked' };
    const deadline = this.#options.now() + this.#options.refreshLockMs;
    for (;;) {
      const tokens = await this.#links.tokens(accountId, providerId);
      if (tokens === undefined) return { ok: false, reason: 'revoked' };
      if (this.#fresh(tokens)) {
        const { stale, ...current } = tokens;
        // Sealed with a retired key: sealed again with the current one.
        if (stale) await this.#links.saveTokens(accountId, providerId, current);
        return { ok: true, tokens: current };
      }
      if (tokens.refreshToken === undefined) {
        await this.#links.dropTokens(accountId, providerId);
        return { ok: false, reason: 'revoked' };
      }
      const lock = `ims-refresh-lock:${accountId}:${providerId}`;
      if (await this.#store.create(lock, '1', this.#options.refreshLockMs)) {
        try {
          return await this.#refresh(provider, accountId, tokens.refreshToken);
        } finally {
          await this.#store.delete(lock);
        }
      }
      if (this.#options.now() > deadline) throw new UpstreamUnavailable(`${providerId}: another refresh is taking too long`);
      await sleep(50);
    }
  }

  #fresh(tokens: UpstreamTokens): boolean {
    return tokens.expiresAt === undefined || tokens.expiresAt * 1000 - this.#options.now() > this.#options.refreshMarginSeconds * 1000;
  }

  async #refresh(provider: UpstreamProvider, accountId: string, refreshToken: string): Promise<ImsTokenOutcome> {
    try {
      const tokens = await provider.refresh(refreshToken);
      await this.#links.saveTokens(accountId, provider.id, tokens);
      return { ok: true, tokens };
    } catch (error) {
      if (!(error instanceof UpstreamGrantRevoked)) throw error;
      await this.#links.dropTokens(accountId, provider.id);
      return { ok: false, reason: 'revoked' };
    }
  }
}
