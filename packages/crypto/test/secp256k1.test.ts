import { getBytes, hashMessage, hexlify, recoverAddress as ethersRecoverAddress, Signature, Wallet } from 'ethers';
import { randomBytes } from 'node:crypto';
import {
  ethereumAddress,
  hashEip191Message,
  recoverAddress,
  recoverSecp256k1PublicKey,
  secp256k1Implementation,
} from '../src/index.js';

const ORDER = BigInt('0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141');

function toBytes32(value: bigint): Buffer {
  return Buffer.from(value.toString(16).padStart(64, '0'), 'hex');
}

function withS(signature: Uint8Array, s: bigint, v?: number): Buffer {
  const copy = Buffer.from(signature);
  toBytes32(s).copy(copy, 32);
  if (v !== undefined) copy[64] = v;
  return copy;
}

describe('secp256k1 recovery', () => {
  const wallets = Array.from({ length: 24 }, () => Wallet.createRandom());
  const walletAt = (index: number) => {
    const wallet = wallets[index];
    if (wallet === undefined) throw new Error(`no wallet ${index}`);
    return wallet;
  };

  it('runs on the native libsecp256k1 binding', () => {
    expect(secp256k1Implementation).toBe('native');
  });

  it('recovers the same public key and address as ethers for many random wallets', () => {
    for (const wallet of wallets) {
      const digest = randomBytes(32);
      const signature = getBytes(wallet.signingKey.sign(digest).serialized);
      expect(Buffer.from(recoverSecp256k1PublicKey(digest, signature)).toString('hex')).toBe(
        wallet.signingKey.publicKey.slice(2),
      );
      const address = recoverAddress(digest, signature);
      expect(address).toBe(wallet.address);
      // ethers takes a signature as hex (or {r, s, v}), not as bytes.
      expect(address).toBe(ethersRecoverAddress(digest, hexlify(signature)));
    }
  });

  it('recovers signers of EIP-191 personal messages like ethers', async () => {
    for (const wallet of wallets.slice(0, 8)) {
      const text = `sign in to sigil, nonce ${randomBytes(8).toString('hex')}`;
      const signature = await wallet.signMessage(text);
      expect(recoverAddress(hashEip191Message(text), signature)).toBe(wallet.address);
      expect(recoverAddress(hashMessage(text), signature)).toBe(ethersRecoverAddress(hashMessage(text), signature));
    }
  });

  it('accepts v as 0/1 as well as 27/28, and hex strings as well as bytes', () => {
    const wallet = walletAt(0);
    const digest = randomBytes(32);
    const signature = Buffer.from(getBytes(wallet.signingKey.sign(digest).serialized));
    const bare = Buffer.from(signature);
    bare[64] = (signature[64] ?? 27) - 27;
    expect(recoverAddress(digest, bare)).toBe(wallet.address);
    expect(recoverAddress(`0x${digest.toString('hex')}`, `0x${signature.toString('hex')}`)).toBe(wallet.address);
  });

  it('derives checksummed addresses from public keys', () => {
    const wallet = walletAt(1);
    expect(ethereumAddress(getBytes(wallet.signingKey.publicKey))).toBe(wallet.address);
    expect(() => ethereumAddress(getBytes(wallet.signingKey.compressedPublicKey))).toThrow(
      expect.objectContaining({ code: 'ERR_KEY_INVALID' }),
    );
  });

  it('refuses the high-s twin of a valid signature (EIP-2)', () => {
    const wallet = walletAt(2);
    const digest = randomBytes(32);
    const signature = Signature.from(wallet.signingKey.sign(digest));
    const twin = withS(getBytes(signature.serialized), ORDER - BigInt(signature.s), signature.v === 27 ? 28 : 27);
    expect(() => recoverAddress(digest, twin)).toThrow(expect.objectContaining({ code: 'ERR_SECP256K1_SIGNATURE_MALLEABLE' }));
  });

  it('refuses out-of-range r and s, unknown v, and wrong lengths', () => {
    const wallet = walletAt(3);
    const digest = randomBytes(32);
    const signature = Buffer.from(getBytes(wallet.signingKey.sign(digest).serialized));
    const invalid = expect.objectContaining({ code: 'ERR_SECP256K1_SIGNATURE_INVALID' });

    expect(() => recoverAddress(digest, withS(signature, 0n))).toThrow(invalid);
    const zeroR = Buffer.from(signature);
    zeroR.fill(0, 0, 32);
    expect(() => recoverAddress(digest, zeroR)).toThrow(invalid);
    const bigR = Buffer.from(signature);
    toBytes32(ORDER).copy(bigR, 0);
    expect(() => recoverAddress(digest, bigR)).toThrow(invalid);
    for (const v of [2, 26, 29, 37]) {
      const badV = Buffer.from(signature);
      badV[64] = v;
      expect(() => recoverAddress(digest, badV)).toThrow(invalid);
    }
    expect(() => recoverAddress(digest, signature.subarray(0, 64))).toThrow(invalid);
    expect(() => recoverAddress(digest, '0x1234')).toThrow(invalid);
    expect(() => recoverAddress(digest, 'not hex')).toThrow(invalid);
  });

  it('refuses an r with no point on the curve', () => {
    const digest = randomBytes(32);
    // x = 5 is not the x-coordinate of any secp256k1 point (5³ + 7 = 132 is a non-residue mod p).
    const signature = Buffer.concat([toBytes32(5n), toBytes32(1n), Buffer.of(27)]);
    expect(() => recoverSecp256k1PublicKey(digest, signature)).toThrow(
      expect.objectContaining({ code: 'ERR_SECP256K1_SIGNATURE_INVALID' }),
    );
  });

  it('refuses digests that are not 32 bytes', () => {
    const wallet = walletAt(4);
    const signature = wallet.signingKey.sign(randomBytes(32)).serialized;
    for (const digest of [randomBytes(31), randomBytes(33), '0xzz', new Uint8Array(0)]) {
      expect(() => recoverAddress(digest, signature)).toThrow(expect.objectContaining({ code: 'ERR_SECP256K1_DIGEST_INVALID' }));
    }
  });
});
