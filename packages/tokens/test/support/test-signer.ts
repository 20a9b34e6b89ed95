import { constants, sign, type KeyObject } from 'node:crypto';
import type { Signer, SignatureAlgorithm } from '@sigil/crypto';
import { fixtureKey, type FixtureKeyKind } from '@sigil/testkit';

/**
 * A Signer over an in-memory key, made here rather than through
 * @sigil/crypto's loaders so that these tests exercise only the Signer
 * interface the token code relies on.
 */
export function signerFromKey(privateKey: KeyObject, publicKey: KeyObject, algorithm: SignatureAlgorithm): Signer {
  const digest = algorithm === 'EdDSA' ? null : `sha${algorithm.slice(2)}`;
  const options =
    algorithm.startsWith('ES')
      ? { key: privateKey, dsaEncoding: 'ieee-p1363' as const }
      : algorithm === 'PS256'
        ? { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
        : { key: privateKey };
  return {
    algorithm,
    publicJwk: publicKey.export({ format: 'jwk' }),
    sign: async (data) => sign(digest, data, options),
  };
}

const KIND_OF: Record<Exclude<SignatureAlgorithm, 'RSA-PKCS1-RAW'>, FixtureKeyKind> = {
  ES256: 'P-256',
  ES384: 'P-384',
  ES512: 'P-521',
  EdDSA: 'Ed25519',
  RS256: 'RSA-2048',
  PS256: 'RSA-2048',
};

/** A Signer for `algorithm` over a fixture key; the same name gives the same key. */
export function testSigner(algorithm: Exclude<SignatureAlgorithm, 'RSA-PKCS1-RAW'>, name = 'default'): Signer & { publicKey: KeyObject } {
  const { privateKey, publicKey } = fixtureKey(KIND_OF[algorithm], name);
  return Object.assign(signerFromKey(privateKey, publicKey, algorithm), { publicKey });
}
