import { issueInternalToken, type InternalIdentity, type RotatingKeySet } from '@sigil/tokens';
import type { Account } from '../domain/account.js';

interface Minted {
  readonly token: string;
  readonly reuseUntil: number;
}

/** Bound on tokens kept for reuse. */
const MAX_KEPT = 10_000;

/**
 * Mints internal tokens for accounts. A token is reused for the first half
 * of its lifetime by later requests carrying exactly the same claims (the
 * same account, audience, groups and roles), so a busy client costs one
 * signature per half-lifetime instead of one per request; whoever receives
 * it still sees at least half its lifetime left.
 */
export class InternalTokenMinter {
  readonly #kept = new Map<string, Minted>();

  constructor(
    readonly keys: RotatingKeySet,
    readonly issuer: string,
    readonly lifetimeSeconds: number,
  ) {}

  async mint(account: Account, roles: readonly string[], audience: string): Promise<string> {
    const identity: InternalIdentity = {
      accountId: account.uuid,
      username: account.username,
      displayName: account.displayName,
      email: account.email,
      groups: account.groups,
      roles,
    };
    const key = JSON.stringify([audience, this.keys.currentKid, identity]);
    const now = Date.now();
    const kept = this.#kept.get(key);
    if (kept && kept.reuseUntil > now) return kept.token;
    const token = await issueInternalToken(this.keys, identity, { issuer: this.issuer, audience, lifetimeSeconds: this.lifetimeSeconds, clock: () => now });
    if (this.#kept.size >= MAX_KEPT) this.#kept.clear();
    this.#kept.set(key, { token, reuseUntil: now + (this.lifetimeSeconds * 1000) / 2 });
    return token;
  }
}
