import { randomBytes } from 'node:crypto';
import { ethereumAddress } from '@sigil/crypto';
import secp256k1 from 'secp256k1';

/**
 * The secp256k1 key an app's Universal Profile lists as a controller, held by
 * this service to sign `/up/sign` messages on the app's behalf.
 */
export interface ControllerKey {
  /** The key's address, EIP-55 checksummed: the seed's `controllerKeyOfApp`. */
  readonly address: string;
  /**
   * A recoverable signature r || s || v (v = 27 or 28, low s) over a 32-byte
   * digest, with a fresh random nonce each time (see softwareControllerKey).
   */
  signDigest(digest: Uint8Array): Promise<Uint8Array>;
  /** Lets go of what the key holds (a PKCS#11 session). */
  close?(): Promise<void>;
}

const PRIVATE_KEY = /^(?:0x)?[0-9a-fA-F]{64}$/;

/** True for 32 bytes of hex, with or without `0x`. */
export function isPrivateKeyHex(text: string): boolean {
  return PRIVATE_KEY.test(text);
}

/**
 * A controller key held in memory, from 32 bytes of hex. Signatures add 32
 * random bytes to the RFC 6979 nonce derivation (§3.6): two `/up/sign` calls
 * for the same message must give two different signatures, or a used
 * signature could be brought back to life by signing its message again, and
 * the client signature over it replayed.
 */
export function softwareControllerKey(privateKeyHex: string): ControllerKey {
  if (!isPrivateKeyHex(privateKeyHex)) throw new TypeError('a secp256k1 private key is 32 bytes of hex');
  const privateKey = Buffer.from(privateKeyHex.replace(/^0x/, ''), 'hex');
  if (!secp256k1.privateKeyVerify(privateKey)) throw new TypeError('the secp256k1 private key is out of range');
  return {
    address: ethereumAddress(secp256k1.publicKeyCreate(privateKey, false)),
    signDigest: (digest) => {
      // libsecp256k1 always produces low-s signatures (EIP-2).
      const { signature, recid } = secp256k1.ecdsaSign(digest, privateKey, { data: randomBytes(32) });
      return Promise.resolve(Buffer.concat([signature, Buffer.of(27 + recid)]));
    },
  };
}
