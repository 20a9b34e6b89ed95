import { createPublicKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, SignJWT, type JWK } from 'jose';

/** What the proof claims about the device and its user (auth-server checks each against the account). */
export interface DeviceIdentity {
  /** The device's client id URI, `wireapp://{user}!{device}@{domain}`. */
  readonly clientId: string;
  /** The handle URI, `wireapp://%40{handle}@{domain}`. */
  readonly handle: string;
  readonly team: string;
  readonly displayName: string;
}

/** What ties the proof to one ACME challenge: its URL (the audience), its token, and its target (the URL the proof is for). */
export interface ChallengeBinding {
  readonly url: string;
  readonly token: string;
  readonly target: string;
}

/**
 * A Wire device's key: P-256, so that it can also be the ACME account key
 * (acme-client signs ES256) and the key the certificate certifies.
 */
export class DeviceKey {
  readonly privateKey: KeyObject = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  readonly publicJwk: JWK = createPublicKey(this.privateKey).export({ format: 'jwk' }) as JWK;

  get pem(): string {
    return this.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  }

  /** RFC 7638 thumbprint: what `cnf.kid` of the access token and the ACME key authorization name. */
  thumbprint(): Promise<string> {
    return calculateJwkThumbprint(this.publicJwk);
  }

  /**
   * The DPoP proof (RFC 9449) the device sends to the backend's
   * access-token endpoint, with the Wire claims: for `htu` = the
   * challenge's target, `aud` = the challenge URL, `chal` = its token, the
   * backend's `nonce`, and who the device and its user are.
   */
  async accessTokenProof(identity: DeviceIdentity, challenge: ChallengeBinding, nonce: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      jti: randomUUID(),
      htm: 'POST',
      htu: challenge.target,
      nonce,
      chal: challenge.token,
      sub: identity.clientId,
      handle: identity.handle,
      team: identity.team,
      name: identity.displayName,
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: this.publicJwk })
      .setAudience(challenge.url)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + 300)
      .sign(this.privateKey);
  }
}
