import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { jwkThumbprint, type Signer } from '@sigil/crypto';
import { systemClock, type Clock } from './clock.js';
import { issueJwt } from './issue-jwt.js';
import { isJwsAlgorithm } from './jws-algorithms.js';
import { selectJwk } from './jwk-selection.js';
import type { JwsHeader, JwsHeaderParameters, JwtClaims } from './jwt-types.js';
import { toPublicJwk } from './public-jwk.js';
import type { JsonWebKeySet, KeyResolver } from './verification-keys.js';

export interface RotatingKeySetOptions {
  /** The key that signs from the start. */
  current: Signer;
  /** Its kid; default its RFC 7638 thumbprint. */
  currentKid?: string;
  /**
   * The longest any token signed by this set stays valid, in seconds,
   * including the leeway verifiers allow: a retired key keeps being published
   * this long, so every token it signed can still be verified.
   */
  maxTokenLifetimeSeconds: number;
  clock?: Clock;
}

type KeyStatus = 'next' | 'current' | 'retired';

interface SigningKey {
  readonly kid: string;
  readonly signer: Signer;
  /** As published: public members, `kid`, `use`, `alg`. */
  readonly publishedJwk: JsonWebKey;
  readonly publicKey: KeyObject;
  status: KeyStatus;
  retiredAt?: number;
}

function signingKey(signer: Signer, kid: string | undefined, status: KeyStatus): SigningKey {
  const alg = signer.algorithm;
  if (!isJwsAlgorithm(alg)) throw new TypeError(`a ${alg} key cannot sign a JWS`);
  const publicJwk = toPublicJwk(signer.publicJwk);
  const id = kid ?? jwkThumbprint(publicJwk);
  return {
    kid: id,
    signer,
    publishedJwk: { ...publicJwk, kid: id, use: 'sig', alg },
    publicKey: createPublicKey({ key: publicJwk, format: 'jwk' }),
    status,
  };
}

/**
 * The signing keys of an issuer, rotated without a moment in which a valid
 * token cannot be verified: publish the next key (verifiers cache it before
 * it signs anything), promote it (it signs; the previous key retires), and a
 * retired key stays published until every token it signed has expired.
 * Usable as the `keys` of verifyJwt.
 */
export class RotatingKeySet implements KeyResolver {
  readonly #keys: SigningKey[];
  readonly #retentionMs: number;
  readonly #clock: Clock;

  constructor(options: RotatingKeySetOptions) {
    if (!Number.isFinite(options.maxTokenLifetimeSeconds) || options.maxTokenLifetimeSeconds <= 0) {
      throw new TypeError('RotatingKeySet: maxTokenLifetimeSeconds must be a positive number');
    }
    this.#retentionMs = options.maxTokenLifetimeSeconds * 1000;
    this.#clock = options.clock ?? systemClock;
    this.#keys = [signingKey(options.current, options.currentKid, 'current')];
  }

  get currentKid(): string {
    return this.#current().kid;
  }

  get nextKid(): string | undefined {
    return this.#keys.find((key) => key.status === 'next')?.kid;
  }

  /** Publishes the key that will sign after the next promotion; replaces a next key not yet promoted. Returns its kid. */
  publishNext(signer: Signer, options: { kid?: string } = {}): string {
    const next = signingKey(signer, options.kid, 'next');
    const others = this.#keys.filter((key) => key.status !== 'next');
    if (others.some((key) => key.kid === next.kid)) throw new TypeError(`RotatingKeySet: kid "${next.kid}" is already in the set`);
    this.#keys.splice(0, this.#keys.length, ...others, next);
    return next.kid;
  }

  /** The switch: the next key signs from now on, and the current one retires (it still verifies). */
  promoteNext(): void {
    const next = this.#keys.find((key) => key.status === 'next');
    if (!next) throw new TypeError('RotatingKeySet: no next key has been published');
    const current = this.#current();
    current.status = 'retired';
    current.retiredAt = this.#clock();
    next.status = 'current';
  }

  /** Drops a next or retired key at once (say, when it is compromised); the current key cannot be removed. */
  remove(kid: string): boolean {
    const index = this.#keys.findIndex((key) => key.kid === kid);
    if (index < 0) return false;
    if (this.#keys[index]!.status === 'current') throw new TypeError('RotatingKeySet: the current key cannot be removed');
    this.#keys.splice(index, 1);
    return true;
  }

  /** The public keys to publish at the JWKS endpoint: next, current, and retired ones still needed. */
  jwks(): JsonWebKeySet {
    return { keys: this.#live().map((key) => ({ ...key.publishedJwk })) };
  }

  /** Signs a JWT with the current key, its kid in the header. */
  sign(claims: JwtClaims, header: JwsHeaderParameters = {}): Promise<string> {
    const current = this.#current();
    return issueJwt(current.signer, { ...header, kid: current.kid }, claims);
  }

  resolveKey(header: JwsHeader): KeyObject {
    const live = this.#live();
    const jwk = selectJwk(
      live.map((key) => key.publishedJwk),
      header,
    );
    return live.find((key) => key.publishedJwk === jwk)!.publicKey;
  }

  #current(): SigningKey {
    return this.#keys.find((key) => key.status === 'current')!;
  }

  /** Forgets retired keys whose every token has expired, then lists the rest. */
  #live(): SigningKey[] {
    const now = this.#clock();
    const expired = (key: SigningKey) => key.status === 'retired' && key.retiredAt! + this.#retentionMs <= now;
    if (this.#keys.some(expired)) this.#keys.splice(0, this.#keys.length, ...this.#keys.filter((key) => !expired(key)));
    return this.#keys;
  }
}
