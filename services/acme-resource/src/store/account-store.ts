import type { Store } from '@sigil/store';
import type { AccountRecord } from '../domain/state/records.js';
import { readRecord, writeRecord } from './json-records.js';
import { storeKeys } from './store-keys.js';

/** Accounts, durable, indexed by the thumbprint of their key (RFC 8555 §7.3: one account per key). */
export class AccountStore {
  constructor(private readonly store: Store) {}

  get(id: string): Promise<AccountRecord | null> {
    return readRecord<AccountRecord>(this.store, storeKeys.account(id));
  }

  async byThumbprint(thumbprint: string): Promise<AccountRecord | null> {
    const id = await this.store.get(storeKeys.accountByKey(thumbprint));
    return id === null ? null : this.get(id);
  }

  /**
   * Claims the key for a new account, then writes it. Of two concurrent
   * registrations with one key, one claims the index; the other gets the
   * account id that won (§7.3: the existing account is returned).
   */
  async create(account: AccountRecord): Promise<{ created: true } | { created: false; existingId: string }> {
    const indexKey = storeKeys.accountByKey(account.thumbprint);
    // The index entry is durable; `create` (SET NX) needs a TTL, so it is set first, then made durable.
    if (!(await this.store.create(indexKey, account.id, 60_000))) {
      const existingId = await this.store.get(indexKey);
      return { created: false, existingId: existingId ?? '' };
    }
    await writeRecord(this.store, storeKeys.account(account.id), account);
    await this.store.set(indexKey, account.id);
    return { created: true };
  }

  update(account: AccountRecord): Promise<void> {
    return writeRecord(this.store, storeKeys.account(account.id), account);
  }

  /**
   * Moves an account to a new key (§7.3.5): claims the new key's index
   * atomically (false when another account holds it), then rewrites the
   * account and drops the old key's index.
   */
  async changeKey(account: AccountRecord, updated: AccountRecord): Promise<boolean> {
    const newIndex = storeKeys.accountByKey(updated.thumbprint);
    if (!(await this.store.create(newIndex, account.id, 60_000))) return false;
    await writeRecord(this.store, storeKeys.account(account.id), updated);
    await this.store.set(newIndex, account.id);
    await this.store.delete(storeKeys.accountByKey(account.thumbprint));
    return true;
  }
}
