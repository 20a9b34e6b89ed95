import { generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** Key pairs generated once per test file (RSA generation is the slow part, so it is cached). */
export interface TestKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const cache = new Map<string, TestKeyPair>();

export type TestKeyKind = 'P-256' | 'P-384' | 'P-521' | 'Ed25519' | 'RSA' | 'RSA-1024' | 'secp256k1' | 'Ed448';

export function testKeyPair(kind: TestKeyKind): TestKeyPair {
  let pair = cache.get(kind);
  if (pair === undefined) {
    pair = generate(kind);
    cache.set(kind, pair);
  }
  return pair;
}

function generate(kind: TestKeyKind): TestKeyPair {
  switch (kind) {
    case 'P-256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' });
    case 'P-384':
      return generateKeyPairSync('ec', { namedCurve: 'P-384' });
    case 'P-521':
      return generateKeyPairSync('ec', { namedCurve: 'P-521' });
    case 'secp256k1':
      return generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    case 'Ed25519':
      return generateKeyPairSync('ed25519');
    case 'Ed448':
      return generateKeyPairSync('ed448');
    case 'RSA':
      return generateKeyPairSync('rsa', { modulusLength: 2048 });
    case 'RSA-1024':
      return generateKeyPairSync('rsa', { modulusLength: 1024 });
  }
}

export function pkcs8Pem(pair: TestKeyPair): string {
  return pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

export const message = new TextEncoder().encode('the quick brown fox signs over the lazy dog');
