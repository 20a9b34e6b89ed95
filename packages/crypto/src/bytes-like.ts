/** Bytes as Ethereum tooling passes them: raw, or a `0x`-prefixed hex string. */
export type BytesLike = Uint8Array | string;

const HEX = /^0x(?:[0-9a-fA-F]{2})*$/;

/** The bytes of a BytesLike; undefined when a string is not even-length `0x` hex. */
export function bytesOf(value: BytesLike): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (typeof value !== 'string' || !HEX.test(value)) return undefined;
  return Buffer.from(value.slice(2), 'hex');
}
