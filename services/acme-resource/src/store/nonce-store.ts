import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from '@sigil/store';
import { storeKeys } from './store-keys.js';

const EXPIRY_BYTES = 6;
const RANDOM_BYTES = 10;
const TAG_BYTES = 16;
const NONCE_BYTES = EXPIRY_BYTES + RANDOM_BYTES + TAG_BYTES;

/**
 * Replay nonces (RFC 8555 §6.5). A nonce is its expiry, 80 random bits and
 * a MAC over both under a key every replica shares (kept in the store), so
 * issuing one needs no store write — newNonce is answered from memory —
 * while only nonces this service issued, unexpired, are accepted. Use is
 * single across replicas: the first `consume` marks it (SET NX, by SHA-256),
 * every later one finds the mark. The MAC key is not a secret that guards
 * anything beyond that: anyone may ask newNonce for a nonce.
 */
export class NonceStore {
  #key: Promise<Buffer> | undefined;

  constructor(
    private readonly store: Store,
    private readonly lifetimeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async issue(): Promise<string> {
    const key = await this.key();
    const body = Buffer.alloc(EXPIRY_BYTES + RANDOM_BYTES);
    body.writeUIntBE(this.now() + this.lifetimeMs, 0, EXPIRY_BYTES);
    randomBytes(RANDOM_BYTES).copy(body, EXPIRY_BYTES);
    return Buffer.concat([body, tag(key, body)]).toString('base64url');
  }

  async consume(nonce: string): Promise<boolean> {
    const bytes = Buffer.from(nonce, 'base64url');
    if (bytes.length !== NONCE_BYTES || bytes.toString('base64url') !== nonce) return false;
    const body = bytes.subarray(0, EXPIRY_BYTES + RANDOM_BYTES);
    if (!timingSafeEqual(tag(await this.key(), body), bytes.subarray(EXPIRY_BYTES + RANDOM_BYTES))) return false;
    const remaining = body.readUIntBE(0, EXPIRY_BYTES) - this.now();
    if (remaining <= 0) return false;
    return this.store.markOnce(storeKeys.nonce(createHash('sha256').update(bytes).digest('base64url')), remaining + 1_000);
  }

  /** The shared MAC key: the first replica to start creates it (SET NX), the others read it; cached for the process. */
  private key(): Promise<Buffer> {
    this.#key ??= this.loadKey().catch((error: unknown) => {
      this.#key = undefined;
      throw error;
    });
    return this.#key;
  }

  private async loadKey(): Promise<Buffer> {
    const candidate = randomBytes(32).toString('base64url');
    if (await this.store.create(storeKeys.nonceKey(), candidate, 60_000)) {
      await this.store.set(storeKeys.nonceKey(), candidate);
      return Buffer.from(candidate, 'base64url');
    }
    const existing = await this.store.get(storeKeys.nonceKey());
    if (existing === null) throw new Error('the nonce key is missing from the store');
    return Buffer.from(existing, 'base64url');
  }
}

function tag(key: Buffer, body: Buffer): Buffer {
  return createHmac('sha256', key).update(body).digest().subarray(0, TAG_BYTES);
}
