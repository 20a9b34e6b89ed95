import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '@sigil/store';
import type { ExternalIdentity } from '../domain/external-identity.js';

/** Why the user went to the external provider, and where to come back to. */
export type UpstreamPurpose =
  | { readonly kind: 'login'; readonly interactionUid: string }
  | { readonly kind: 'link'; readonly accountId: string };

/** A pending authorization at an external provider: what the callback must check, single use. */
export interface PendingUpstreamAuthorization {
  readonly providerId: string;
  readonly codeVerifier: string;
  readonly nonce: string;
  readonly purpose: UpstreamPurpose;
}

/** The outcome of a sign-in at an external provider, waiting for the interaction to take it. */
export type UpstreamSignInResult =
  | { readonly ok: true; readonly identity: ExternalIdentity; readonly sealedTokens: string }
  | { readonly ok: false; readonly providerId: string; readonly reason: 'denied' | 'failed' };

/** The user has 10 minutes at the external provider, and 10 more to confirm a new account. */
const TTL_MS = 10 * 60 * 1000;
const digest = (value: string) => createHash('sha256').update(value).digest('base64url');
const random = () => randomBytes(32).toString('base64url');

/**
 * `upstream-state:<sha256(state)>`: the pending authorization, consumed
 * atomically by the callback (so a state is honoured once, on any replica);
 * `upstream-result:<sha256(ref)>`: a sign-in result handed from the callback
 * to the interaction (whose cookie is scoped to its own path).
 */
export class UpstreamAuthorizations {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  /** Stores a pending authorization and returns its `state` (RFC 6749 §10.12), 256 random bits. */
  async begin(pending: PendingUpstreamAuthorization): Promise<string> {
    const state = random();
    await this.#store.create(`upstream-state:${digest(state)}`, JSON.stringify(pending), TTL_MS);
    return state;
  }

  async take(state: string): Promise<PendingUpstreamAuthorization | undefined> {
    const value = await this.#store.consume(`upstream-state:${digest(state)}`);
    return value === null ? undefined : (JSON.parse(value) as PendingUpstreamAuthorization);
  }

  async putResult(result: UpstreamSignInResult): Promise<string> {
    const ref = random();
    await this.#store.create(`upstream-result:${digest(ref)}`, JSON.stringify(result), TTL_MS);
    return ref;
  }

  /** Puts back a result taken by a step that then failed (the user corrects the form and submits again). */
  async restoreResult(ref: string, result: UpstreamSignInResult): Promise<void> {
    await this.#store.set(`upstream-result:${digest(ref)}`, JSON.stringify(result), TTL_MS);
  }

  async peekResult(ref: string): Promise<UpstreamSignInResult | undefined> {
    const value = await this.#store.get(`upstream-result:${digest(ref)}`);
    return value === null ? undefined : (JSON.parse(value) as UpstreamSignInResult);
  }

  async takeResult(ref: string): Promise<UpstreamSignInResult | undefined> {
    const value = await this.#store.consume(`upstream-result:${digest(ref)}`);
    return value === null ? undefined : (JSON.parse(value) as UpstreamSignInResult);
  }
}
