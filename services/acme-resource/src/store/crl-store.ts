import type { Store } from '@sigil/store';
import { readRecord, writeRecord } from './json-records.js';
import { storeKeys, type CrlIssuer } from './store-keys.js';

/** The current CRL of one intermediate, shared by every replica. */
export interface StoredCrl {
  /** DER, base64. */
  readonly der: string;
  readonly thisUpdate: number;
  readonly nextUpdate: number;
  /**
   * How many revoked certificates (of either intermediate) it was built
   * from: a smaller number than the revoked set holds means it is stale.
   */
  readonly entries: number;
  readonly number: number;
}

export class CrlStore {
  constructor(
    private readonly store: Store,
    private readonly issuer: CrlIssuer,
  ) {}

  current(): Promise<StoredCrl | null> {
    return readRecord<StoredCrl>(this.store, storeKeys.crl(this.issuer));
  }

  /** Keeps the newest CRL: a replica that built an older one (lower number) does not overwrite a newer one. */
  async publish(crl: StoredCrl): Promise<void> {
    const existing = await this.current();
    if (existing && existing.number > crl.number && existing.entries >= crl.entries) return;
    await writeRecord(this.store, storeKeys.crl(this.issuer), crl);
  }
}
