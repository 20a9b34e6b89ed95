import { randomUUID } from 'node:crypto';

/** Bound on remembered lock tokens of one home; the oldest are forgotten first (their locks then behave as held by someone else). */
const MAX_REMEMBERED = 10_000;

/** The lock token of a `Lock-Token` header (RFC 4918 §10.5: a Coded-URL, `<…>`), if any. */
export function lockTokenOf(header: string | undefined): string[] {
  const token = header?.trim().replace(/^<(.*)>$/, '$1');
  return token ? [token] : [];
}

/**
 * Who holds which lock, in the library's terms. The library ties a lock to
 * the user who took it and lets that user write whatever the request
 * submits; RFC 4918 §6.4 and §7 tie it to the lock token instead: a write to
 * a locked resource must submit the token, even from the same account (two
 * clients of one person must not overwrite each other). So every LOCK is
 * taken by a principal of its own, and a later request acts as that
 * principal only when it submits that lock's token; otherwise it acts as a
 * fresh principal, to whom every lock is someone else's.
 */
export class LockPrincipals {
  readonly #byToken = new Map<string, string>();

  constructor(readonly accountId: string) {}

  /** The principal a request acts as: the holder of a lock whose token it submits, else a new one. */
  principalFor(tokens: readonly string[]): string {
    for (const token of tokens) {
      const principal = this.#byToken.get(token);
      if (principal !== undefined) return principal;
    }
    return `${this.accountId}#${randomUUID()}`;
  }

  remember(token: string, principal: string): void {
    this.#byToken.delete(token);
    this.#byToken.set(token, principal);
    if (this.#byToken.size > MAX_REMEMBERED) this.#byToken.delete(this.#byToken.keys().next().value!);
  }

  forget(token: string): void {
    this.#byToken.delete(token);
  }

  /** Whether any lock taken here may still be held (an expired one counts until it is unlocked or forgotten). */
  get holdsAny(): boolean {
    return this.#byToken.size > 0;
  }
}
