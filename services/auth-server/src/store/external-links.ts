import { createHash } from 'node:crypto';
import type { Store } from '@sigil/store';
import type { ExternalIdentity } from '../domain/external-identity.js';
import type { TokenCipher } from '../domain/token-cipher.js';
import type { UpstreamTokens } from '../federation/upstream-provider.js';

/** A link between a local account and an identity at an external provider. */
export interface ExternalLink {
  readonly providerId: string;
  readonly subject: string;
  readonly username: string | undefined;
  readonly displayName: string | undefined;
  readonly email: string | undefined;
  /** ISO 8601. */
  readonly linkedAt: string;
}

/** The external identity is linked to another account, or this account already has a link to the provider. */
export class ExternalLinkConflict extends Error {
  readonly code = 'EXTERNAL_LINK_CONFLICT';
  override readonly name = 'ExternalLinkConflict';

  constructor(readonly reason: 'identity-linked-elsewhere' | 'provider-already-linked') {
    super(reason === 'identity-linked-elsewhere' ? 'this external identity is linked to another account' : 'the account is already linked to this provider');
  }
}

/** What is stored of the tokens: both tokens sealed (AES-256-GCM), the rest in clear. */
interface StoredTokens {
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
  readonly tokenType: string;
  readonly expiresAt: number | undefined;
  readonly scope: string | undefined;
  readonly updatedAt: string;
}

const CLAIM_TTL_MS = 5 * 60 * 1000;
const digest = (value: string) => createHash('sha256').update(value).digest('base64url');

/**
 * External links and the provider tokens kept for backends, durable:
 *
 * - `external-subject:<provider>:<sha256(subject)>` the account linked to an
 *   external identity (unique, claimed with `SET NX` first);
 * - `external-links:<account>` the set of providers the account is linked to;
 * - `external-link:<account>:<provider>` the link;
 * - `external-tokens:<account>:<provider>` the tokens, sealed with the
 *   account and provider as additional data (a ciphertext copied to another
 *   record does not open).
 */
export class ExternalLinks {
  readonly #store: Store;
  readonly #cipher: TokenCipher;
  readonly #clock: () => Date;

  constructor(store: Store, cipher: TokenCipher, clock: () => Date = () => new Date()) {
    this.#store = store;
    this.#cipher = cipher;
    this.#clock = clock;
  }

  async link(accountId: string, identity: ExternalIdentity, tokens: UpstreamTokens): Promise<ExternalLink> {
    const { providerId } = identity;
    const subjectKey = `external-subject:${providerId}:${digest(identity.subject)}`;
    const existing = await this.find(accountId, providerId);
    if (existing !== undefined && existing.subject !== identity.subject) throw new ExternalLinkConflict('provider-already-linked');
    if (!(await this.#store.create(subjectKey, accountId, CLAIM_TTL_MS))) {
      if ((await this.#store.get(subjectKey)) !== accountId) throw new ExternalLinkConflict('identity-linked-elsewhere');
    }
    const link: ExternalLink = {
      providerId,
      subject: identity.subject,
      username: identity.username,
      displayName: identity.displayName,
      email: identity.email,
      linkedAt: existing?.linkedAt ?? this.#clock().toISOString(),
    };
    await this.#store.set(`external-link:${accountId}:${providerId}`, JSON.stringify(link));
    await this.#store.addToSet(`external-links:${accountId}`, providerId);
    await this.saveTokens(accountId, providerId, tokens);
    await this.#store.set(subjectKey, accountId);
    return link;
  }

  accountFor(providerId: string, subject: string): Promise<string | null> {
    return this.#store.get(`external-subject:${providerId}:${digest(subject)}`);
  }

  async find(accountId: string, providerId: string): Promise<ExternalLink | undefined> {
    const value = await this.#store.get(`external-link:${accountId}:${providerId}`);
    return value === null ? undefined : (JSON.parse(value) as ExternalLink);
  }

  async linksOf(accountId: string): Promise<ExternalLink[]> {
    const providers = (await this.#store.members(`external-links:${accountId}`)).sort();
    const values = await this.#store.getMany(providers.map((providerId) => `external-link:${accountId}:${providerId}`));
    return values.filter((value): value is string => value !== null).map((value) => JSON.parse(value) as ExternalLink);
  }

  /** The tokens, opened; `stale` when they were sealed with a key that no longer encrypts. */
  async tokens(accountId: string, providerId: string): Promise<(UpstreamTokens & { stale: boolean }) | undefined> {
    const value = await this.#store.get(`external-tokens:${accountId}:${providerId}`);
    if (value === null) return undefined;
    const stored = JSON.parse(value) as StoredTokens;
    const context = `${accountId}:${providerId}`;
    return {
      accessToken: this.#cipher.open(stored.accessToken, `${context}:access`),
      refreshToken: stored.refreshToken === undefined ? undefined : this.#cipher.open(stored.refreshToken, `${context}:refresh`),
      tokenType: stored.tokenType,
      expiresAt: stored.expiresAt,
      scope: stored.scope,
      stale: this.#cipher.isStale(stored.accessToken),
    };
  }

  async saveTokens(accountId: string, providerId: string, tokens: UpstreamTokens): Promise<void> {
    const context = `${accountId}:${providerId}`;
    const stored: StoredTokens = {
      accessToken: this.#cipher.seal(tokens.accessToken, `${context}:access`),
      refreshToken: tokens.refreshToken === undefined ? undefined : this.#cipher.seal(tokens.refreshToken, `${context}:refresh`),
      tokenType: tokens.tokenType,
      expiresAt: tokens.expiresAt,
      scope: tokens.scope,
      updatedAt: this.#clock().toISOString(),
    };
    await this.#store.set(`external-tokens:${accountId}:${providerId}`, JSON.stringify(stored));
  }

  /** Forgets the tokens (the provider revoked them); the link stays, so the user can see it and link again. */
  async dropTokens(accountId: string, providerId: string): Promise<void> {
    await this.#store.delete(`external-tokens:${accountId}:${providerId}`);
  }

  async unlink(accountId: string, providerId: string): Promise<ExternalLink | undefined> {
    const link = await this.find(accountId, providerId);
    if (link === undefined) return undefined;
    await Promise.all([
      this.#store.delete(`external-subject:${providerId}:${digest(link.subject)}`),
      this.#store.delete(`external-link:${accountId}:${providerId}`),
      this.#store.delete(`external-tokens:${accountId}:${providerId}`),
      this.#store.removeFromSet(`external-links:${accountId}`, providerId),
    ]);
    return link;
  }
}
