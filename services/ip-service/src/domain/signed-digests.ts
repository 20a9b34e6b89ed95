import { hashEip191Message, keccak256 } from '@sigil/crypto';

/**
 * What the app's controller key signs at `/up/sign`: the bytes of the base64
 * message M, as an EIP-191 personal message (version 0x45, "\x19Ethereum
 * Signed Message:\n" + length) when `signaturePrefix` is true, else their
 * bare keccak256.
 */
export function appMessageDigest(messageBytes: Uint8Array, signaturePrefix: boolean): Uint8Array {
  return signaturePrefix ? hashEip191Message(messageBytes) : keccak256(messageBytes);
}

/**
 * What the client signs at `/up/token`, as the seed constructs it:
 * `keccak(originalSignatureHex.ToByte())`, the keccak256 of the 65 bytes of
 * the app's signature; signed as is, or as an EIP-191 personal message of
 * those 32 bytes when `signaturePrefix` is true (ethers:
 * `wallet.signMessage(getBytes(keccak256(originalAppSignature)))`).
 */
export function clientDigest(originalAppSignature: Uint8Array, signaturePrefix: boolean): Uint8Array {
  const hash = keccak256(originalAppSignature);
  return signaturePrefix ? hashEip191Message(hash) : hash;
}
