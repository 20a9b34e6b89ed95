import type Provider from 'oidc-provider';
import type { HeldValue, OidcAdapter } from '@sigil/store';

/** What a lookup concluded of one access token, and the held payloads it read. */
interface KnownOwner {
  readonly accountId: string;
  /** The token's `exp`, seconds since the epoch. */
  readonly exp: number;
  /** The token's consumed mark as it was held (the payload itself is the map's key). */
  readonly mark: HeldValue;
  /** The session a session-bound token dies with, and its entries as they were held. */
  readonly session?: { readonly uid: string; readonly held: readonly HeldValue[] };
}

function sameHeld(now: readonly HeldValue[] | undefined, then: readonly HeldValue[]): boolean {
  return now !== undefined && now.length === then.length && now.every((entry, i) => entry === then[i]);
}

/**
 * The account an access token of auth-server's was issued for: unexpired,
 * issued for a user, not sender-constrained (a DPoP-bound token would need
 * its own proof), and, when it ends with its session, with that session
 * alive — as oidc-provider's own lookup decides.
 *
 * A token presented again is answered from what its first lookup concluded
 * for as long as every payload that lookup read (the token, its mark, its
 * session) is still the very entry held in the near caches, and the token
 * has not expired: a revocation, a logout or an expiry on any replica
 * replaces those entries as soon as Redis reports it, and the next request
 * is looked up afresh.
 */
export class AccessTokenOwners {
  readonly #provider: Provider;
  readonly #tokens: OidcAdapter;
  readonly #sessions: OidcAdapter;
  /** Keyed by the held entry of the token's payload: nothing here outlives it, and no token is kept. */
  readonly #known = new WeakMap<HeldValue, KnownOwner>();

  constructor(provider: Provider, stored: (model: string) => OidcAdapter) {
    this.#provider = provider;
    this.#tokens = stored('AccessToken');
    this.#sessions = stored('Session');
  }

  /** The token's account id; undefined for any token that is not valid here. */
  async accountIdOf(token: string): Promise<string | undefined> {
    const held = this.#tokens.heldFor(token);
    const known = held && this.#known.get(held[0]!);
    if (known !== undefined && this.#stillHolds(known, held![1]!)) return known.accountId;

    const tokensBefore = this.#tokens.generation;
    const sessionsBefore = this.#sessions.generation;
    const found = await this.#provider.AccessToken.find(token);
    if (found === undefined || found.isExpired || found.accountId === undefined || found.jkt !== undefined) return undefined;
    // Kept only when nothing was reported while the lookup ran: then what is held now is what it read.
    if (tokensBefore === this.#tokens.generation && sessionsBefore === this.#sessions.generation) this.#remember(token, found);
    return found.accountId;
  }

  #stillHolds(known: KnownOwner, mark: HeldValue): boolean {
    return (
      known.mark === mark &&
      Math.floor(Date.now() / 1000) < known.exp &&
      (known.session === undefined || sameHeld(this.#sessions.heldForUid(known.session.uid), known.session.held))
    );
  }

  #remember(token: string, found: InstanceType<Provider['AccessToken']>): void {
    const held = this.#tokens.heldFor(token);
    if (held === undefined || found.exp === undefined || found.accountId === undefined) return;
    let session: KnownOwner['session'];
    if (found.expiresWithSession) {
      const uid = found.sessionUid;
      const sessionHeld = uid === undefined ? undefined : this.#sessions.heldForUid(uid);
      if (uid === undefined || sessionHeld === undefined) return;
      session = { uid, held: sessionHeld };
    }
    this.#known.set(held[0]!, { accountId: found.accountId, exp: found.exp, mark: held[1]!, ...(session && { session }) });
  }
}
