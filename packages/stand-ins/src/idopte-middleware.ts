import { randomBytes, type KeyObject } from 'node:crypto';
import { recoverRsaPkcs1Raw, signRsaPkcs1Raw } from '@sigil/crypto';
import { fixtureKey, type FixtureKey } from '@sigil/testkit';

/**
 * The middleware's answer to a client's challenge: the fields of
 * `idopte_challenge` the client passes on (a type, not an interface, so
 * that it is a plain record of fields to whatever sends commands).
 */
export type MiddlewareAnswer = {
  readonly middleware_challenge: Buffer;
  readonly middleware_signature: Uint8Array;
  readonly server_challenge: Buffer;
  readonly pubkey_id: number;
};

/**
 * The Idopte middleware, as far as the server sees it: it holds RSA keys,
 * signs the client's challenge raw (PKCS#1 v1.5 type 1, no digest), hands
 * out a server challenge, and checks the server's signature of it with the
 * public key of the certificate it was given.
 */
export class MiddlewareSimulator {
  readonly keys: readonly FixtureKey[];

  constructor(keys: readonly FixtureKey[] = [fixtureKey('RSA-2048', 'middleware-a'), fixtureKey('RSA-4096', 'middleware-b')]) {
    this.keys = keys;
  }

  /** One handshake's data, as the middleware gives it to the client, signed with key `pubkeyId`. */
  handshake(pubkeyId: number, options: { serverChallengeLength?: number } = {}): MiddlewareAnswer {
    return this.answer(randomBytes(32), pubkeyId, options);
  }

  /**
   * What the middleware answers a client's challenge with (`SCWS.findService`):
   * the challenge signed raw with key `pubkeyId`, and a fresh challenge for the server.
   */
  answer(middlewareChallenge: Uint8Array, pubkeyId: number, options: { serverChallengeLength?: number } = {}): MiddlewareAnswer {
    const key = this.keys[pubkeyId];
    if (key === undefined) throw new Error(`the simulator has no key ${pubkeyId}`);
    return {
      middleware_challenge: Buffer.from(middlewareChallenge),
      middleware_signature: signRsaPkcs1Raw(key.privateKey, middlewareChallenge),
      server_challenge: randomBytes(options.serverChallengeLength ?? 32),
      pubkey_id: pubkeyId,
    };
  }

  /** What the middleware does with the server's reply: recover the signed bytes with the certificate's key. */
  acceptsServerSignature(servicePublicKey: KeyObject, serverChallenge: Uint8Array, serverSignature: Uint8Array): boolean {
    try {
      return Buffer.from(recoverRsaPkcs1Raw(servicePublicKey, serverSignature)).equals(Buffer.from(serverChallenge));
    } catch {
      return false;
    }
  }
}

/**
 * A public keys file: each key as a `PUBLIC KEY` block, or as a
 * `REVOKED PUBLIC KEY` block at the positions listed in `revoked`, with a
 * line of explanatory text before each (RFC 7468 §5.2).
 */
export function publicKeysFile(keys: readonly FixtureKey[], revoked: readonly number[] = []): string {
  return keys
    .map((key, position) => {
      const pem = key.publicKeyPem.trim();
      const block = revoked.includes(position) ? pem.replaceAll(' PUBLIC KEY-----', ' REVOKED PUBLIC KEY-----') : pem;
      return `Idopte key ${position}\n${block}\n`;
    })
    .join('');
}
