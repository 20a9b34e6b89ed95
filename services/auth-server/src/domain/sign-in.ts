import type { Account } from './account.js';
import { normalizeUsername } from './account.js';

/** What sign-in needs from the outside world, so that the decision itself stays pure. */
export interface SignInPorts {
  findAccount(username: string): Promise<Account | undefined>;
  saveAccount(account: Account): Promise<void>;
  admitAddress(address: string): Promise<boolean>;
  admitUsername(username: string): Promise<boolean>;
  recordFailure(username: string): Promise<void>;
  clearFailures(username: string): Promise<void>;
  verifyPassword(password: string, hash: string): Promise<boolean>;
  needsRehash(hash: string): boolean;
  hashPassword(password: string): Promise<string>;
  /** A hash of nothing in particular, verified when the account does not exist, so that both cases take as long. */
  readonly dummyHash: string;
}

export type SignInResult =
  | { readonly ok: true; readonly account: Account }
  | { readonly ok: false; readonly reason: 'invalid-credentials' | 'rate-limited' };

/** Longer inputs are refused before hashing: scrypt time must not be the caller's to choose. */
const MAX_INPUT = 1024;

/**
 * Password sign-in. Unknown user names, wrong passwords, disabled accounts
 * and accounts without a password all give the same answer after the same
 * work (one scrypt), so the answer does not tell which names exist. Limits
 * apply per client address and per user name before any password is
 * checked. A hash made with outdated parameters is replaced on success.
 */
export async function signIn(ports: SignInPorts, input: { username: string; password: string; address: string }): Promise<SignInResult> {
  const username = normalizeUsername(input.username).slice(0, MAX_INPUT);
  if (!(await ports.admitAddress(input.address))) return { ok: false, reason: 'rate-limited' };
  if (!(await ports.admitUsername(username))) return { ok: false, reason: 'rate-limited' };
  if (input.password.length > MAX_INPUT || username === '') {
    await ports.recordFailure(username);
    return { ok: false, reason: 'invalid-credentials' };
  }

  const account = await ports.findAccount(username);
  const hash = account?.passwordHash ?? ports.dummyHash;
  const matches = await ports.verifyPassword(input.password, hash);
  if (!matches || account === undefined || account.passwordHash === null || !account.enabled) {
    await ports.recordFailure(username);
    return { ok: false, reason: 'invalid-credentials' };
  }

  await ports.clearFailures(username);
  if (ports.needsRehash(account.passwordHash)) {
    await ports.saveAccount({ ...account, passwordHash: await ports.hashPassword(input.password) });
  }
  return { ok: true, account };
}
