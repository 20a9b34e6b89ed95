import type { CommandBody } from './command-body.js';
import { invalidField } from './idopte-problems.js';

// RFC 4648 §4, with padding: Buffer.from would silently skip anything else.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The largest Index (the seed's unsigned 64-bit position). */
const MAX_INDEX = 2n ** 64n - 1n;

function present(body: CommandBody, name: string): unknown {
  const value = Object.hasOwn(body.fields, name) ? body.fields[name] : undefined;
  if (value === undefined || value === null) throw invalidField(name, 'is missing');
  return value;
}

/** A `Bytes` field: base64 text in JSON, binary (bin) in msgpack. */
export function bytesField(body: CommandBody, name: string): Uint8Array {
  const value = present(body, name);
  if (body.format === 'msgpack') {
    if (value instanceof Uint8Array) return value;
    throw invalidField(name, 'must be MessagePack binary (bin)');
  }
  if (typeof value === 'string' && BASE64.test(value)) return Buffer.from(value, 'base64');
  throw invalidField(name, 'must be a base64 string (RFC 4648 §4, padded)');
}

/** An `Index` field: an integer from 0 to 2^64 − 1 (positions past the number of keys are merely unknown). */
export function indexField(body: CommandBody, name: string): number {
  const value = present(body, name);
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= Number(MAX_INDEX)) return value;
  if (typeof value === 'bigint' && value >= 0n && value <= MAX_INDEX) return Number(value);
  throw invalidField(name, 'must be an integer from 0 to 2^64 − 1');
}
