import { createHash } from 'node:crypto';
import type { Store } from '@sigil/store';

/** What the service remembers of a signature it made at `/up/sign`. */
export interface SignRecord {
  /** The app whose controller key signed, EIP-55 checksummed. */
  readonly app: string;
  /** The base64 message as it was sent. */
  readonly message: string;
  readonly signaturePrefix: boolean;
  /** Milliseconds since the epoch; also the store TTL. */
  readonly expiresAt: number;
}

/** The record of a signature, whether it was already exchanged for a token, and the extra keys read with them. */
export interface SignRecordLookup {
  readonly record: SignRecord | undefined;
  readonly used: boolean;
  /** The values of `alsoRead`, in order. */
  readonly also: readonly (string | null)[];
}

/**
 * `/up/sign` results, keyed by the SHA-256 of the signature bytes:
 * `signed:<hash>` holds the record until it expires, `used:<hash>` is the
 * single-use mark set (SET NX) when a token is issued for it.
 */
export class SignRecords {
  constructor(private readonly store: Store) {}

  async remember(signature: Uint8Array, record: SignRecord, ttlMs: number): Promise<void> {
    await this.store.create(`signed:${signatureHash(signature)}`, JSON.stringify(record), ttlMs);
  }

  /**
   * The record and the used mark in one round trip, with any other keys the
   * caller will need next (the permission cache), so a sign-in reads once.
   */
  async lookup(signature: Uint8Array, alsoRead: readonly string[] = []): Promise<SignRecordLookup> {
    const hash = signatureHash(signature);
    const [record, used, ...also] = await this.store.getMany([`signed:${hash}`, `used:${hash}`, ...alsoRead]);
    return { record: record == null ? undefined : (JSON.parse(record) as SignRecord), used: used != null, also };
  }

  /**
   * Uses the signature up: true for exactly one caller, whichever replica it
   * runs on; false for every later one. The mark outlives the record.
   */
  markUsed(signature: Uint8Array, ttlMs: number): Promise<boolean> {
    return this.store.markOnce(`used:${signatureHash(signature)}`, ttlMs);
  }
}

function signatureHash(signature: Uint8Array): string {
  return createHash('sha256').update(signature).digest('hex');
}
