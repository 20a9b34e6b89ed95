import type { Store } from '@sigil/store';
import type { Account } from '../../src/domain/account.js';
import { hashPassword } from '../../src/domain/password-hash.js';
import { AccountStore, type NewAccount } from '../../src/store/account-store.js';

/** A cheap scrypt cost for tests (the service under test uses the same: PASSWORD_SCRYPT_LOG_N=10). */
export const TEST_SCRYPT = { logN: 10, r: 8, p: 1 } as const;

let counter = 0;

/** A fresh user name no other test uses. */
export function uniqueUsername(label = 'user'): string {
  return `${label}-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 7)}`.slice(0, 32);
}

/** Creates an account directly in the store the replicas use. */
export async function createTestAccount(
  store: Store,
  options: Partial<Omit<NewAccount, 'passwordHash'>> & { password?: string } = {},
): Promise<Account & { password: string }> {
  const password = options.password ?? 'correct horse battery staple';
  const username = options.username ?? uniqueUsername();
  const account = await new AccountStore(store).create({
    username,
    displayName: options.displayName ?? `User ${username}`,
    email: options.email ?? `${username}@example.test`,
    emailVerified: options.emailVerified ?? true,
    passwordHash: await hashPassword(password, TEST_SCRYPT),
    teamId: options.teamId ?? null,
    groups: options.groups ?? ['staff'],
  });
  return { ...account, password };
}
