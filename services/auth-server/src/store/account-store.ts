import { createHash, randomUUID } from 'node:crypto';
import type { NearCache, Store } from '@sigil/store';
import type { Account } from '../domain/account.js';

/** A unique field (user name, handle or e-mail) is already taken. */
export class AccountConflict extends Error {
  readonly code = 'ACCOUNT_CONFLICT';
  override readonly name = 'AccountConflict';

  constructor(readonly field: 'username' | 'handle' | 'email') {
    super(`${field} is already taken`);
  }
}

export interface NewAccount {
  readonly username: string;
  readonly displayName: string;
  readonly email: string | null;
  readonly emailVerified?: boolean;
  readonly passwordHash: string | null;
  readonly teamId: string | null;
  readonly groups?: readonly string[];
}

/**
 * How long a unique name is held while its account is being written. The
 * claim is made with `SET NX` (so two replicas registering the same name at
 * once cannot both win) and then made durable; if the process dies in
 * between, the name is free again after this.
 */
const CLAIM_TTL_MS = 5 * 60 * 1000;

const digest = (value: string) => createHash('sha256').update(value).digest('base64url');

/** A stored account, frozen: readers share it while it is held near. */
function decodeAccount(value: string): Account {
  const account = JSON.parse(value) as Account;
  Object.freeze(account.groups);
  return Object.freeze(account);
}

/**
 * Accounts in the store, durable (no TTL):
 *
 * - `account:<id>` the account as JSON;
 * - `account-name:<username>`, `account-handle:<handle>`,
 *   `account-email:<sha256(email)>` the id owning each unique value (e-mail
 *   addresses are hashed: keys are listed in plain text by Redis tools).
 */
export class AccountStore {
  readonly #store: Store;
  /** Accounts by id are read on every request a user's access token makes (the device endpoints): kept near. */
  readonly #byId: NearCache;
  readonly #clock: () => Date;

  constructor(store: Store, clock: () => Date = () => new Date()) {
    this.#store = store;
    this.#byId = store.nearCache('account:');
    this.#clock = clock;
  }

  async create(data: NewAccount): Promise<Account> {
    const account: Account = {
      id: randomUUID(),
      username: data.username,
      displayName: data.displayName,
      email: data.email,
      emailVerified: data.emailVerified ?? false,
      passwordHash: data.passwordHash,
      teamId: data.teamId,
      handle: data.username,
      groups: data.groups ?? [],
      enabled: true,
      createdAt: this.#clock().toISOString(),
    };
    const unique: [AccountConflict['field'], string][] = [
      ['username', `account-name:${account.username}`],
      ['handle', `account-handle:${account.handle}`],
    ];
    if (account.email !== null) unique.push(['email', `account-email:${digest(account.email)}`]);

    const claimed = await Promise.all(unique.map(([, key]) => this.#store.create(key, account.id, CLAIM_TTL_MS)));
    const lost = claimed.findIndex((won) => !won);
    if (lost >= 0) {
      await Promise.all(unique.filter((_, i) => claimed[i]).map(([, key]) => this.#store.delete(key)));
      throw new AccountConflict(unique[lost]![0]);
    }
    await this.#store.set(`account:${account.id}`, JSON.stringify(account));
    await Promise.all(unique.map(([, key]) => this.#store.set(key, account.id)));
    return account;
  }

  /** The account, shared by every reader while it is held near: frozen. */
  async findById(id: string): Promise<Account | undefined> {
    return (await this.#byId.getDecoded(`account:${id}`, decodeAccount)) ?? undefined;
  }

  findByUsername(username: string): Promise<Account | undefined> {
    return this.#findVia(`account-name:${username}`);
  }

  findByEmail(email: string): Promise<Account | undefined> {
    return this.#findVia(`account-email:${digest(email)}`);
  }

  /** Replaces an account's record (same id; unique fields unchanged). */
  async save(account: Account): Promise<void> {
    await this.#store.set(`account:${account.id}`, JSON.stringify(account));
  }

  async #findVia(key: string): Promise<Account | undefined> {
    const id = await this.#store.get(key);
    return id === null ? undefined : this.findById(id);
  }
}
