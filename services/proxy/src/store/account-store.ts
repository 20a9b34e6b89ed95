import type { NearCache, Store } from '@sigil/store';
import type { Account } from '../domain/account.js';

/** A stored account, frozen: readers share it while it is held near. */
function decodeAccount(value: string): Account {
  const account = JSON.parse(value) as Account;
  Object.freeze(account.groups);
  return Object.freeze(account);
}

/**
 * Accounts: `account:<sub@iss>` → Account (durable), `account-subject:<uuid>`
 * → `sub@iss` (durable), the set `accounts` of every UUID (for the admin
 * list), and `account-claim:<sub@iss>` (TTL), held by the one request that
 * provisions an account so concurrent first requests create exactly one.
 *
 * Every proxied request reads its caller's account, so accounts are read
 * through a near cache: from memory while Redis reports no change to them
 * (a disable by any replica reaches the others as fast as Redis can tell
 * them, well under a millisecond), from Redis otherwise.
 */
export class AccountStore {
  readonly #accounts: NearCache;

  constructor(readonly store: Store) {
    this.#accounts = store.nearCache('account:');
  }

  /** The account, shared by every reader while it is held near: frozen. */
  async find(subject: string): Promise<Account | undefined> {
    return (await this.#accounts.getDecoded(`account:${subject}`, decodeAccount)) ?? undefined;
  }

  async findByUuid(uuid: string): Promise<Account | undefined> {
    const subject = await this.store.get(`account-subject:${uuid}`);
    return subject === null ? undefined : this.find(subject);
  }

  async list(): Promise<Account[]> {
    const uuids = (await this.store.members('accounts')).sort();
    const subjects = await this.store.getMany(uuids.map((uuid) => `account-subject:${uuid}`));
    const found = subjects.filter((subject): subject is string => subject !== null);
    const records = await this.store.getMany(found.map((subject) => `account:${subject}`));
    return records.filter((record): record is string => record !== null).map((record) => JSON.parse(record) as Account);
  }

  /** Writes an account; the UUID index first, so no account is ever listed without being findable. */
  async save(account: Account): Promise<void> {
    const subject = `${account.sub}@${account.iss}`;
    await this.store.set(`account-subject:${account.uuid}`, subject);
    await this.store.set(`account:${subject}`, JSON.stringify(account));
    await this.store.addToSet('accounts', account.uuid);
  }

  async remove(account: Account): Promise<void> {
    await this.store.delete(`account:${account.sub}@${account.iss}`);
    await this.store.removeFromSet('accounts', account.uuid);
    await this.store.delete(`account-subject:${account.uuid}`);
  }

  /** Takes the provisioning claim for a subject (`SET NX PX`): true for exactly one caller among concurrent ones. */
  claim(subject: string, ttlMs: number): Promise<boolean> {
    return this.store.create(`account-claim:${subject}`, 'pending', ttlMs);
  }

  claimState(subject: string): Promise<string | null> {
    return this.store.get(`account-claim:${subject}`);
  }

  /** Leaves the claim marked refused for a while: concurrent and repeated first requests get 403 without asking LDAP again. */
  refuseClaim(subject: string, ttlMs: number): Promise<void> {
    return this.store.set(`account-claim:${subject}`, 'refused', ttlMs);
  }

  async releaseClaim(subject: string): Promise<void> {
    await this.store.delete(`account-claim:${subject}`);
  }
}
