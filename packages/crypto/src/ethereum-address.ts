import type { BytesLike } from './bytes-like.js';
import { InvalidKeyError } from './errors.js';
import { keccak256 } from './keccak.js';
import { recoverSecp256k1PublicKey } from './secp256k1.js';

/**
 * The EIP-55 checksummed address of an uncompressed secp256k1 public key:
 * the last 20 bytes of keccak256(X || Y) (Ethereum yellow paper, eq. 284).
 */
export function ethereumAddress(uncompressedPublicKey: Uint8Array): string {
  if (uncompressedPublicKey.length !== 65 || uncompressedPublicKey[0] !== 0x04) {
    throw new InvalidKeyError('an uncompressed secp256k1 public key (65 bytes, 0x04 prefix) is needed');
  }
  const hash = keccak256(uncompressedPublicKey.subarray(1));
  return checksumAddress(Buffer.from(hash.subarray(12)).toString('hex'));
}

/**
 * EIP-55: the 40 hex digits of an address, each letter upper-cased where the
 * matching nibble of keccak256(lower-case hex) is 8 or more.
 */
export function checksumAddress(hex40: string): string {
  const lower = hex40.toLowerCase();
  const hash = keccak256(Buffer.from(lower, 'ascii'));
  let out = '0x';
  for (let i = 0; i < 40; i++) {
    const nibble = (hash[i >> 1]! >> (i % 2 === 0 ? 4 : 0)) & 0x0f;
    out += nibble >= 8 ? lower[i]!.toUpperCase() : lower[i]!;
  }
  return out;
}

/**
 * The checksummed address that signed `digest` (ethers' `recoverAddress`,
 * with recovery done natively and malleable signatures refused).
 */
export function recoverAddress(digest: BytesLike, signature: BytesLike): string {
  return ethereumAddress(recoverSecp256k1PublicKey(digest, signature));
}
