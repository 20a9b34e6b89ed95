import type { Store } from '@sigil/store';
import type { AuthorizationRecord, OrderRecord } from '../domain/state/records.js';
import { readRecord, readRecords, writeRecord } from './json-records.js';
import { storeKeys } from './store-keys.js';

/**
 * Orders and their authorizations (challenges live inside their
 * authorization). Both expire from the store `retentionMs` after their own
 * `expires`, so a client can still see them as invalid / expired for a while
 * (RFC 8555 §7.1.6) and nothing lingers.
 */
export class OrderStore {
  constructor(
    private readonly store: Store,
    private readonly retentionMs: number,
    private readonly now: () => number,
  ) {}

  getOrder(id: string): Promise<OrderRecord | null> {
    return readRecord<OrderRecord>(this.store, storeKeys.order(id));
  }

  getAuthorization(id: string): Promise<AuthorizationRecord | null> {
    return readRecord<AuthorizationRecord>(this.store, storeKeys.authorization(id));
  }

  getAuthorizations(ids: readonly string[]): Promise<(AuthorizationRecord | null)[]> {
    return readRecords<AuthorizationRecord>(this.store, ids.map(storeKeys.authorization));
  }

  /**
   * Writes a new order with its authorizations and indexes them under the
   * account. The writes go out together (one round trip's wait): the order
   * is only handed out once all of them are done.
   */
  async createOrder(order: OrderRecord, authorizations: readonly AuthorizationRecord[]): Promise<void> {
    await Promise.all([
      ...authorizations.map((authz) => writeRecord(this.store, storeKeys.authorization(authz.id), authz, this.ttl(authz.expires))),
      ...authorizations.map((authz) => this.store.addToSet(storeKeys.accountPendingAuthorizations(order.accountId), authz.id, this.ttl(authz.expires))),
      this.saveOrder(order),
      this.store.addToSet(storeKeys.accountOrders(order.accountId), order.id, this.ttl(order.expires)),
    ]);
  }

  saveOrder(order: OrderRecord): Promise<void> {
    return writeRecord(this.store, storeKeys.order(order.id), order, this.ttl(order.expires));
  }

  /** Saves an authorization and keeps the account's pending / valid indexes in step with its status. */
  async saveAuthorization(authz: AuthorizationRecord): Promise<void> {
    await Promise.all([
      writeRecord(this.store, storeKeys.authorization(authz.id), authz, this.ttl(authz.expires)),
      authz.status !== 'pending' ? this.store.removeFromSet(storeKeys.accountPendingAuthorizations(authz.accountId), authz.id) : undefined,
      authz.status === 'valid' ? this.store.addToSet(storeKeys.accountValidAuthorizations(authz.accountId), authz.id, this.ttl(authz.expires)) : undefined,
    ]);
  }

  async orderIds(accountId: string): Promise<string[]> {
    return this.store.members(storeKeys.accountOrders(accountId));
  }

  /**
   * The account's authorizations that are still pending now; entries that
   * expired or left `pending` are dropped from the index on the way.
   */
  async pendingAuthorizations(accountId: string): Promise<AuthorizationRecord[]> {
    return this.liveMembers(storeKeys.accountPendingAuthorizations(accountId), 'pending');
  }

  /** The account's authorizations that are valid now (for revocation, RFC 8555 §7.6). */
  async validAuthorizations(accountId: string): Promise<AuthorizationRecord[]> {
    return this.liveMembers(storeKeys.accountValidAuthorizations(accountId), 'valid');
  }

  private async liveMembers(setKey: string, status: 'pending' | 'valid'): Promise<AuthorizationRecord[]> {
    const ids = await this.store.members(setKey);
    const records = await this.getAuthorizations(ids);
    const now = this.now();
    const live: AuthorizationRecord[] = [];
    for (const [index, record] of records.entries()) {
      if (record && record.status === status && record.expires > now) live.push(record);
      else await this.store.removeFromSet(setKey, ids[index]!);
    }
    return live;
  }

  private ttl(expires: number): number {
    return Math.max(1_000, expires - this.now() + this.retentionMs);
  }
}
