import type { Store } from '@sigil/store';

/** Reads a JSON record; null when absent. Records are written only by this service, so their shape is trusted. */
export async function readRecord<T>(store: Store, key: string): Promise<T | null> {
  const text = await store.get(key);
  return text === null ? null : (JSON.parse(text) as T);
}

export async function readRecords<T>(store: Store, keys: readonly string[]): Promise<(T | null)[]> {
  if (keys.length === 0) return [];
  const texts = await store.getMany(keys);
  return texts.map((text) => (text === null ? null : (JSON.parse(text) as T)));
}

/** Writes a record; `ttlMs` omitted for durable records. */
export async function writeRecord(store: Store, key: string, record: unknown, ttlMs?: number): Promise<void> {
  await store.set(key, JSON.stringify(record), ttlMs === undefined ? undefined : Math.max(1, Math.ceil(ttlMs)));
}
