import { hash } from 'node:crypto';
import { OidcPayloadAlreadyConsumed, OidcPayloadReplayed } from './oidc-adapter-errors.js';
import type { HeldValue, NearCache } from './near-cache.js';
import type { Store } from './store.js';

/** A stored oidc-provider model: JSON with a few members the adapter indexes. */
export type OidcPayload = Record<string, unknown>;

/**
 * The storage interface `oidc-provider` (v9) expects of its `adapter`, one
 * instance per model (`Session`, `AccessToken`, `Grant`, …). `expiresIn` is
 * in seconds.
 */
export interface OidcAdapter {
  upsert(id: string, payload: OidcPayload, expiresIn: number | undefined): Promise<void>;
  find(id: string): Promise<OidcPayload | undefined>;
  findByUid(uid: string): Promise<OidcPayload | undefined>;
  findByUserCode(userCode: string): Promise<OidcPayload | undefined>;
  /** Marks the payload consumed; rejects with `OidcPayloadAlreadyConsumed` for every caller but the first. */
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  /** Destroys every stored payload (of any model) that belongs to the grant. */
  revokeByGrantId(grantId: string): Promise<void>;
  /**
   * For a near-cached model: the entries held in memory that `find(id)`
   * would answer from now (see `NearCache.held`); undefined when it would
   * read the store.
   */
  heldFor(id: string): readonly HeldValue[] | undefined;
  /** The same for `findByUid(uid)`: the pointer, then the payload's entries. */
  heldForUid(uid: string): readonly HeldValue[] | undefined;
  /** The generation of the model's near cache (`NearCache.generation`); 0 for a model that is not near-cached. */
  readonly generation: number;
}

export interface OidcAdapterOptions {
  /** Put in front of the adapter's keys, inside the store's own prefix. Default `oidc:`. */
  namespace?: string;
  /**
   * Models whose `upsert` only creates (`SET NX`) and rejects an existing id
   * with `OidcPayloadReplayed`. Default `['ReplayDetection']`: oidc-provider
   * checks a DPoP proof's or client assertion's `jti` with find-then-save,
   * which two replicas could both pass; the create makes the second one fail.
   */
  createOnlyModels?: readonly string[];
  /** Lifetime of a payload saved without `expiresIn` (nothing here is durable). Default 14 days. */
  defaultTtlMs?: number;
  /**
   * Models read through a near cache (`Store.nearCache`): those read on
   * every request of some endpoint and written far less often, such as
   * `AccessToken` and `Session`. Default none.
   */
  nearCachedModels?: readonly string[];
}

const FOURTEEN_DAYS_MS = 14 * 24 * 60 * 60 * 1000;

/**
 * Grant indexes are split by token lifetime: a token whose TTL is at most
 * 2^b seconds goes into bucket b, whose set expires 2^b seconds after its
 * latest addition. Every addition resets a set's expiry to a time no earlier
 * than the expiry of any token already in it, so an index never expires
 * before its tokens, and is gone at most twice their lifetime after the last
 * one was added (one shared set with one TTL would be cut short whenever a
 * short-lived token followed a long-lived one).
 */
const MAX_GRANT_BUCKET = 31;

function grantBucket(ttlMs: number): number {
  return Math.min(MAX_GRANT_BUCKET, Math.max(0, Math.ceil(Math.log2(ttlMs / 1000))));
}

/** Keys carry a SHA-256 of ids and codes, never the raw values (they are bearer secrets). */
function digest(value: string): string {
  // The one-shot hash: several times cheaper than a Hash object for short inputs, on every token request.
  return hash('sha256', value, 'base64url');
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** oidc-provider's `expiresIn` (seconds) as a store TTL; null when the payload is already expired. */
function ttlMsOf(expiresIn: number | undefined, fallbackMs: number): number | null {
  if (expiresIn === undefined || !Number.isFinite(expiresIn)) return fallbackMs;
  return expiresIn > 0 ? Math.ceil(expiresIn * 1000) : null;
}

/**
 * Key layout (relative to the store's prefix and `namespace`):
 *
 * - `<Model>:<sha256(id)>` the payload as JSON, with the model's TTL;
 * - `<Model>:<sha256(id)>:consumed` the consumption mark (epoch seconds),
 *   created with `SET NX` so that exactly one consumer wins, expiring with
 *   the payload;
 * - `grant:<grantId>:<bucket>` sets of the `<Model>:<sha256(id)>` keys of a
 *   grant's tokens, by lifetime (see `grantBucket`), for `revokeByGrantId`
 *   without scanning;
 * - `<Model>:by-uid:<sha256(uid)>`, `<Model>:by-user-code:<sha256(code)>`
 *   pointers to a payload's hashed id, with its TTL.
 *
 * A payload's `jti` is its id, which for opaque tokens is the token itself:
 * it is left out of the stored JSON and put back from the id on `find`. Only
 * payloads reached through a pointer (sessions, device codes) keep it, since
 * there the id is not known to the reader.
 *
 * `destroy` deletes the payload and its mark only: a pointer or index entry
 * left behind leads nowhere (ids are random and never reused) and expires
 * with its set.
 */
class StoreOidcAdapter implements OidcAdapter {
  readonly #store: Store;
  readonly #model: string;
  readonly #namespace: string;
  readonly #createOnly: boolean;
  readonly #defaultTtlMs: number;
  /** The near cache of the model's keys, for a near-cached model. */
  readonly #near: NearCache | undefined;

  constructor(store: Store, model: string, options: Required<OidcAdapterOptions>) {
    this.#store = store;
    this.#model = model;
    this.#namespace = options.namespace;
    this.#createOnly = options.createOnlyModels.includes(model);
    this.#defaultTtlMs = options.defaultTtlMs;
    this.#near = options.nearCachedModels.includes(model) ? store.nearCache(this.#payloadKey('')) : undefined;
  }

  async upsert(id: string, payload: OidcPayload, expiresIn: number | undefined): Promise<void> {
    const hashed = digest(id);
    const key = this.#payloadKey(hashed);
    const ttlMs = ttlMsOf(expiresIn, this.#defaultTtlMs);
    if (ttlMs === null) {
      // Saved already expired: nothing may be found under this id any more.
      if (!this.#createOnly) await this.destroy(id);
      return;
    }
    const uid = text(payload.uid);
    const userCode = text(payload.userCode);
    const stored = uid === undefined && userCode === undefined && payload.jti === id ? { ...payload, jti: undefined } : payload;
    const json = JSON.stringify(stored);

    if (this.#createOnly) {
      if (!(await this.#store.create(key, json, ttlMs))) throw new OidcPayloadReplayed(this.#model);
      return;
    }

    // The index entry is sent first: a revocation that reads the index after
    // the payload exists always finds it there.
    const writes: Promise<unknown>[] = [];
    const grantId = text(payload.grantId);
    if (grantId !== undefined) {
      const bucket = grantBucket(ttlMs);
      const bucketTtlMs = Math.max(ttlMs, 2 ** bucket * 1000);
      writes.push(this.#store.addToSet(this.#grantKey(grantId, bucket), this.#member(hashed), bucketTtlMs));
    }
    if (uid !== undefined) writes.push(this.#store.set(this.#pointerKey('by-uid', uid), hashed, ttlMs));
    if (userCode !== undefined) writes.push(this.#store.set(this.#pointerKey('by-user-code', userCode), hashed, ttlMs));
    writes.push(this.#store.set(key, json, ttlMs));
    await Promise.all(writes);
  }

  find(id: string): Promise<OidcPayload | undefined> {
    return this.#read(digest(id), id);
  }

  findByUid(uid: string): Promise<OidcPayload | undefined> {
    return this.#findByPointer('by-uid', uid);
  }

  findByUserCode(userCode: string): Promise<OidcPayload | undefined> {
    return this.#findByPointer('by-user-code', userCode);
  }

  async consume(id: string): Promise<void> {
    const key = this.#payloadKey(digest(id));
    const ttlMs = await this.#store.ttl(key);
    // Gone since it was read (revoked, destroyed, expired): as good as consumed.
    const first = ttlMs !== null && (await this.#store.create(`${key}:consumed`, String(Math.floor(Date.now() / 1000)), Math.max(ttlMs, 1)));
    if (first) return;
    const payload = ttlMs === null ? undefined : await this.find(id);
    throw new OidcPayloadAlreadyConsumed(this.#model, text(payload?.grantId));
  }

  async destroy(id: string): Promise<void> {
    const key = this.#payloadKey(digest(id));
    await Promise.all([this.#store.delete(key), this.#store.delete(`${key}:consumed`)]);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    // Sent together, these commands take one round trip each on a pipelining client.
    const buckets = Array.from({ length: MAX_GRANT_BUCKET + 1 }, (_, bucket) => this.#grantKey(grantId, bucket));
    const members = (await Promise.all(buckets.map((key) => this.#store.members(key)))).flat();
    await Promise.all([
      ...members.flatMap((member) => [
        this.#store.delete(this.#namespace + member),
        this.#store.delete(`${this.#namespace}${member}:consumed`),
      ]),
      ...buckets.map((key) => this.#store.delete(key)),
    ]);
  }

  get generation(): number {
    return this.#near?.generation ?? 0;
  }

  heldFor(id: string): readonly HeldValue[] | undefined {
    return this.#held(digest(id));
  }

  heldForUid(uid: string): readonly HeldValue[] | undefined {
    const pointer = this.#near?.held(this.#pointerKey('by-uid', uid));
    if (pointer === undefined) return undefined;
    if (pointer.value === null) return [pointer];
    const payload = this.#held(pointer.value);
    return payload && [pointer, ...payload];
  }

  /** The payload and its consumed mark, as #read reads them, when both are held. */
  #held(hashed: string): readonly HeldValue[] | undefined {
    const near = this.#near;
    if (near === undefined) return undefined;
    const key = this.#payloadKey(hashed);
    const value = near.held(key);
    const marked = value && near.held(`${key}:consumed`);
    return marked && [value, marked];
  }

  async #findByPointer(kind: string, value: string): Promise<OidcPayload | undefined> {
    const hashed = await (this.#near ?? this.#store).get(this.#pointerKey(kind, value));
    return hashed === null ? undefined : this.#read(hashed, undefined);
  }

  async #read(hashed: string, id: string | undefined): Promise<OidcPayload | undefined> {
    const key = this.#payloadKey(hashed);
    const marked = `${key}:consumed`;
    const near = this.#near;
    const [value, consumed] = near ? await Promise.all([near.get(key), near.get(marked)]) : await this.#store.getMany([key, marked]);
    if (value === null || value === undefined) return undefined;
    const payload = JSON.parse(value) as OidcPayload;
    if (id !== undefined && payload.jti === undefined) payload.jti = id;
    if (consumed !== null && consumed !== undefined) payload.consumed = Number(consumed);
    return payload;
  }

  #payloadKey(hashed: string): string {
    return `${this.#namespace}${this.#member(hashed)}`;
  }

  #member(hashed: string): string {
    return `${this.#model}:${hashed}`;
  }

  #grantKey(grantId: string, bucket: number): string {
    return `${this.#namespace}grant:${grantId}:${bucket}`;
  }

  #pointerKey(kind: string, value: string): string {
    return `${this.#namespace}${this.#model}:${kind}:${digest(value)}`;
  }
}

/**
 * oidc-provider's `adapter` setting on top of a Store: a factory called with
 * each model's name. Works on the Redis store (shared by every replica) and
 * on the memory store (one process) alike.
 *
 * Atomic where oidc-provider reads then writes: `consume` creates the mark
 * with `SET NX`, so of two replicas redeeming the same code or refresh token
 * only one succeeds (the other gets `OidcPayloadAlreadyConsumed`); create-only
 * models (replay detection) reject a second save with `OidcPayloadReplayed`.
 */
export function createOidcAdapterFactory(store: Store, options: OidcAdapterOptions = {}): (model: string) => OidcAdapter {
  const settled: Required<OidcAdapterOptions> = {
    namespace: options.namespace ?? 'oidc:',
    createOnlyModels: options.createOnlyModels ?? ['ReplayDetection'],
    defaultTtlMs: options.defaultTtlMs ?? FOURTEEN_DAYS_MS,
    nearCachedModels: options.nearCachedModels ?? [],
  };
  const adapters = new Map<string, OidcAdapter>();
  return (model: string) => {
    let adapter = adapters.get(model);
    if (adapter === undefined) {
      adapter = new StoreOidcAdapter(store, model, settled);
      adapters.set(model, adapter);
    }
    return adapter;
  };
}
