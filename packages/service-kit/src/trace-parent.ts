import { randomFillSync } from 'node:crypto';

/**
 * The `traceparent` header of W3C Trace Context (https://www.w3.org/TR/trace-context/):
 * `version-traceId-parentId-flags`, lowercase hex.
 */
export interface TraceParent {
  /** trace-id: 32 hex digits, not all zero. */
  readonly traceId: string;
  /** parent-id, the caller's span: 16 hex digits, not all zero. */
  readonly parentId: string;
  /** trace-flags; bit 0 is `sampled`: the caller may have recorded its span. */
  readonly flags: number;
}

const VERSION_00 = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
// A later version keeps the four fields of version 00 first and may append
// more after a dash ("versioning of traceparent"); version `ff` is forbidden.
const LATER_VERSION = /^(?!00|ff)[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/;
const ALL_ZERO = /^0+$/;

/**
 * Reads a `traceparent` header (§3.2). Anything that does not follow it
 * exactly (upper-case hex, wrong lengths, an all-zero trace-id or parent-id,
 * version `ff`, extra fields on version 00) yields `undefined`, and the
 * receiver starts a new trace, as §3.2.2 requires.
 */
export function parseTraceparent(header: string | undefined): TraceParent | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  const fields = VERSION_00.exec(value) ?? LATER_VERSION.exec(value);
  if (fields === null) return undefined;
  const [, traceId = '', parentId = '', flags = ''] = fields;
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(parentId)) return undefined;
  return { traceId, parentId, flags: Number.parseInt(flags, 16) };
}

/** Writes a version-00 `traceparent` naming `spanId` as the parent of whatever receives it (§3.2). */
export function formatTraceparent(traceId: string, spanId: string, sampled: boolean): string {
  return `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`;
}

/** True when the `sampled` flag (bit 0 of trace-flags) is set. */
export function isSampled(parent: TraceParent): boolean {
  return (parent.flags & 0x01) === 0x01;
}

// Ids are cut from a pool of random bytes refilled 4 KiB at a time: one
// randomFillSync per few hundred requests instead of one system call per id.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomHex(bytes: number): string {
  for (;;) {
    if (poolOffset + bytes > pool.length) {
      randomFillSync(pool);
      poolOffset = 0;
    }
    const hex = pool.toString('hex', poolOffset, poolOffset + bytes);
    poolOffset += bytes;
    if (!ALL_ZERO.test(hex)) return hex;
  }
}

/** A new random trace-id: 16 bytes, not all zero. */
export function newTraceId(): string {
  return randomHex(16);
}

/** A new random span id (a parent-id for the next hop): 8 bytes, not all zero. */
export function newSpanId(): string {
  return randomHex(8);
}

// One list-member of `tracestate` (§3.3): a key (simple, or tenant@system)
// and a value of printable ASCII without `,` and `=`, not ending in a space.
const TRACESTATE_MEMBER =
  /^(?:[a-z][_0-9a-z\-*/]{0,255}|[a-z0-9][_0-9a-z\-*/]{0,240}@[a-z][_0-9a-z\-*/]{0,13})=[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
const TRACESTATE_MAX_MEMBERS = 32;

/**
 * Reads `tracestate`, which is only meaningful beside a valid `traceparent`
 * (§3.3). Several header lines form one list; empty list-members are allowed
 * and dropped. A malformed list-member, or more than the 32 list-members the
 * header may hold, discards the whole header, which §3.3 permits.
 */
export function parseTracestate(header: string | readonly string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const joined = typeof header === 'string' ? header : header.join(',');
  const members = joined
    .split(',')
    .map((member) => member.trim())
    .filter((member) => member !== '');
  if (members.length === 0 || members.length > TRACESTATE_MAX_MEMBERS) return undefined;
  if (!members.every((member) => TRACESTATE_MEMBER.test(member))) return undefined;
  return members.join(',');
}
