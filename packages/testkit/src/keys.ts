import { generateKeyPairSync, type KeyObject } from 'node:crypto';

export type FixtureKeyKind = 'P-256' | 'P-384' | 'P-521' | 'Ed25519' | 'RSA-2048' | 'RSA-4096';

export interface FixtureKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** PKCS#8 PEM. */
  readonly privateKeyPem: string;
  /** SPKI PEM. */
  readonly publicKeyPem: string;
}

function generate(kind: FixtureKeyKind): FixtureKey {
  const { privateKey, publicKey } =
    kind === 'Ed25519'
      ? generateKeyPairSync('ed25519')
      : kind.startsWith('RSA-')
        ? generateKeyPairSync('rsa', { modulusLength: Number(kind.slice(4)) })
        : generateKeyPairSync('ec', { namedCurve: kind });
  return {
    privateKey,
    publicKey,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

const cache = new Map<string, FixtureKey>();

/**
 * A key pair for tests. The same (kind, name) gives the same key within one
 * test process, so RSA-4096 generation is paid once; a new name gives a new key.
 */
export function fixtureKey(kind: FixtureKeyKind, name = 'default'): FixtureKey {
  const id = `${kind}/${name}`;
  let key = cache.get(id);
  if (!key) {
    key = generate(kind);
    cache.set(id, key);
  }
  return key;
}
