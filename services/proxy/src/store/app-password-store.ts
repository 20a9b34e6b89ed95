import type { Store } from '@sigil/store';

/** An app password as stored: its hash only, never the password. */
export interface AppPasswordRecord {
  readonly id: string;
  readonly accountUuid: string;
  readonly label: string;
  /** ISO 8601. */
  readonly created: string;
  readonly hash: string;
}

/**
 * App passwords (durable): `app-password:<sha256>` → record (the Basic-auth
 * lookup), `app-password-id:<id>` → record (listing, revocation), and the set
 * `app-passwords:<account uuid>` of ids.
 */
export class AppPasswordStore {
  constructor(readonly store: Store) {}

  async create(record: AppPasswordRecord): Promise<void> {
    const value = JSON.stringify(record);
    await this.store.set(`app-password-id:${record.id}`, value);
    await this.store.set(`app-password:${record.hash}`, value);
    await this.store.addToSet(`app-passwords:${record.accountUuid}`, record.id);
  }

  async findByHash(hash: string): Promise<AppPasswordRecord | undefined> {
    const value = await this.store.get(`app-password:${hash}`);
    return value === null ? undefined : (JSON.parse(value) as AppPasswordRecord);
  }

  async list(accountUuid: string): Promise<AppPasswordRecord[]> {
    const ids = await this.store.members(`app-passwords:${accountUuid}`);
    const values = await this.store.getMany(ids.map((id) => `app-password-id:${id}`));
    return values
      .filter((value): value is string => value !== null)
      .map((value) => JSON.parse(value) as AppPasswordRecord)
      .sort((a, b) => a.created.localeCompare(b.created));
  }

  /** Revokes one of an account's app passwords; false when it has no such id. */
  async revoke(accountUuid: string, id: string): Promise<boolean> {
    const value = await this.store.get(`app-password-id:${id}`);
    if (value === null) return false;
    const record = JSON.parse(value) as AppPasswordRecord;
    if (record.accountUuid !== accountUuid) return false;
    await this.store.delete(`app-password:${record.hash}`);
    await this.store.delete(`app-password-id:${id}`);
    await this.store.removeFromSet(`app-passwords:${accountUuid}`, id);
    return true;
  }

  async revokeAll(accountUuid: string): Promise<void> {
    for (const id of await this.store.members(`app-passwords:${accountUuid}`)) await this.revoke(accountUuid, id);
  }
}
