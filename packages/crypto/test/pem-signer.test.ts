import { createPublicKey } from 'node:crypto';
import { signerFromPem, verifySignature } from '../src/index.js';
import { message, pkcs8Pem, testKeyPair } from './test-keys.js';
import type { TestKeyKind } from './test-keys.js';

describe('signerFromPem', () => {
  it.each([
    ['P-256', 'ES256', 64],
    ['P-384', 'ES384', 96],
    ['P-521', 'ES512', 132],
    ['Ed25519', 'EdDSA', 64],
    ['RSA', 'RS256', 256],
  ] as const)('signs with a PKCS#8 %s key as %s (%i-byte signatures)', async (kind, algorithm, length) => {
    const pair = testKeyPair(kind);
    const signer = signerFromPem(pkcs8Pem(pair));
    expect(signer.algorithm).toBe(algorithm);
    expect(signer.publicJwk).toEqual(pair.publicKey.export({ format: 'jwk' }));
    const signature = await signer.sign(message);
    expect(signature).toHaveLength(length);
    expect(verifySignature(algorithm, pair.publicKey, message, signature)).toBe(true);
    await signer.close?.();
  });

  it('reads SEC1 "EC PRIVATE KEY", with or without a leading EC PARAMETERS block', async () => {
    const pair = testKeyPair('P-256');
    const sec1 = pair.privateKey.export({ format: 'pem', type: 'sec1' }).toString();
    const withParameters = `-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n${sec1}`;
    for (const pem of [sec1, withParameters]) {
      const signer = signerFromPem(pem);
      expect(signer.algorithm).toBe('ES256');
      expect(verifySignature('ES256', pair.publicKey, message, await signer.sign(message))).toBe(true);
    }
  });

  it('reads PKCS#1 "RSA PRIVATE KEY"', async () => {
    const pair = testKeyPair('RSA');
    const signer = signerFromPem(pair.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString());
    expect(signer.algorithm).toBe('RS256');
    expect(verifySignature('RS256', pair.publicKey, message, await signer.sign(message))).toBe(true);
  });

  it('chooses PS256 and RSA-PKCS1-RAW by option', async () => {
    const pair = testKeyPair('RSA');
    const pss = signerFromPem(pkcs8Pem(pair), { algorithm: 'PS256' });
    const pssSignature = await pss.sign(message);
    expect(verifySignature('PS256', pair.publicKey, message, pssSignature)).toBe(true);
    expect(verifySignature('RS256', pair.publicKey, message, pssSignature)).toBe(false);

    const raw = signerFromPem(pkcs8Pem(pair), { algorithm: 'RSA-PKCS1-RAW' });
    const rawSignature = await raw.sign(message);
    expect(verifySignature('RSA-PKCS1-RAW', pair.publicKey, message, rawSignature)).toBe(true);
    await expect(raw.sign(new Uint8Array(246))).rejects.toMatchObject({ code: 'ERR_RSA_PKCS1_INPUT_TOO_LONG' });
  });

  it('reads an encrypted PKCS#8 key with its passphrase', async () => {
    const pair = testKeyPair('P-384');
    const pem = pair.privateKey
      .export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'correct horse' })
      .toString();
    expect(signerFromPem(pem, { passphrase: 'correct horse' }).algorithm).toBe('ES384');
    expect(() => signerFromPem(pem)).toThrow(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
    expect(() => signerFromPem(pem, { passphrase: 'wrong' })).toThrow(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
  });

  it('refuses public keys, garbage and broken PEM', () => {
    const publicPem = createPublicKey(testKeyPair('P-256').privateKey).export({ format: 'pem', type: 'spki' }).toString();
    for (const pem of [publicPem, 'not a key', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n']) {
      expect(() => signerFromPem(pem)).toThrow(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
    }
  });

  it('refuses keys it cannot sign with and algorithms the key cannot carry', () => {
    const unsupported: TestKeyKind[] = ['secp256k1', 'Ed448', 'RSA-1024'];
    for (const kind of unsupported) {
      expect(() => signerFromPem(pkcs8Pem(testKeyPair(kind)))).toThrow(expect.objectContaining({ code: 'ERR_KEY_UNSUPPORTED' }));
    }
    expect(() => signerFromPem(pkcs8Pem(testKeyPair('P-256')), { algorithm: 'ES512' })).toThrow(
      expect.objectContaining({ code: 'ERR_KEY_ALGORITHM_MISMATCH' }),
    );
  });
});
