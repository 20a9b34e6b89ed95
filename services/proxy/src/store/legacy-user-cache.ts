import type { Store } from '@sigil/store';
import { sha256Hex } from './token-key.js';

/** `legacy-user:<sha256(sub@iss)>` → whether the legacy backend knows the user (TTL). */
export class LegacyUserCache {
  constructor(readonly store: Store) {}

  async get(subject: string): Promise<boolean | undefined> {
    const value = await this.store.get(`legacy-user:${sha256Hex(subject)}`);
    return value === null ? undefined : value === '1';
  }

  put(subject: string, exists: boolean, ttlMs: number): Promise<void> {
    return this.store.set(`legacy-user:${sha256Hex(subject)}`, exists ? '1' : '0', ttlMs);
  }
}
