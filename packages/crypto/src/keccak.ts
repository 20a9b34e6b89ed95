import { keccak_256 } from '@noble/hashes/sha3';

/**
 * Keccak-256 as Ethereum uses it (the original Keccak padding, not SHA3-256's
 * FIPS 202 padding, which is why node:crypto's `sha3-256` will not do).
 */
export function keccak256(data: Uint8Array): Uint8Array {
  return keccak_256(data);
}
