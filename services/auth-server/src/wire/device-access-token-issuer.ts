// POST /clients/:cid/access-token, the decision: the proof checked step by
// step (RFC 9449 §4.3, then the device's own claims), the nonce taken once,
// then the access token signed by the backend key of the proof's family.
import type { JsonWebKey } from 'node:crypto';
import { DpopError, issueJwt, verifyDpopProof, type DpopErrorCode, type JwsHeaderParameters } from '@sigil/tokens';
import type { Account } from '../domain/account.js';
import { deviceAccessTokenClaims } from '../domain/device-access-token.js';
import { clientIdUri, handleUri } from '../domain/wire-identity.js';
import { checkProofClaims, checkProofClaimsPresent } from '../domain/wire-proof-claims.js';
import { WireTokenError, type WireTokenLabel } from '../domain/wire-token-error.js';
import type { BackendKeys } from '../setup/wire-backend-keys.js';
import type { DeviceNonces } from '../store/device-store.js';

export interface DeviceAccessTokenSettings {
  readonly publicUrl: string;
  readonly domain: string;
  /** Lifetime of the access tokens, seconds. */
  readonly accessTokenTtl: number;
  /** The latest proof `exp` accepted, seconds after now. */
  readonly proofMaxLifetime: number;
  /** Clock skew tolerated on `iat` / `nbf`, seconds. */
  readonly leewaySeconds: number;
  /** How long after its `iat` a proof is accepted, seconds. */
  readonly proofMaxAge: number;
}

export interface IssuedDeviceAccessToken {
  readonly token: string;
  readonly expiresIn: number;
}

/** Proofs are signed with elliptic-curve keys only (RFC 8037 Ed25519, RFC 7518 ECDSA). */
const PROOF_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'EdDSA'] as const;

const DPOP_LABELS: Partial<Record<DpopErrorCode, WireTokenLabel>> = {
  DPOP_MALFORMED: 'client-token-bad-proof',
  DPOP_TYP_INVALID: 'client-token-bad-typ',
  DPOP_ALG_NOT_ALLOWED: 'client-token-unsupported-alg',
  DPOP_JWK_INVALID: 'client-token-bad-key',
  DPOP_SIGNATURE_INVALID: 'client-token-bad-signature',
  DPOP_HTM_MISMATCH: 'client-token-bad-method',
  DPOP_HTU_MISMATCH: 'client-token-bad-uri',
  DPOP_NONCE_INVALID: 'client-token-bad-nonce',
  DPOP_REPLAYED: 'client-token-replayed',
};

/** What the proof must say of the user: handle (as its URI), team id and display name. */
function userFacts(account: Account, domain: string): { handle: string; team: string; name: string } {
  if (account.teamId === null) throw new WireTokenError('client-token-user-without-team', 'the user belongs to no team');
  if (account.handle === '') throw new WireTokenError('client-token-user-without-handle', 'the user has no handle');
  if (account.displayName === '') throw new WireTokenError('client-token-user-without-display-name', 'the user has no display name');
  return { handle: handleUri(account.handle, domain), team: account.teamId, name: account.displayName };
}

const ACCESS_TOKEN_HEADERS = new WeakMap<object, JwsHeaderParameters>();

/** The access token's header: `typ: at+jwt` and the backend's public key (without `use`), made once per key. */
function accessTokenHeader(key: { readonly publicJwk: JsonWebKey }): JwsHeaderParameters {
  let header = ACCESS_TOKEN_HEADERS.get(key);
  if (header === undefined) {
    const jwk = { ...key.publicJwk };
    delete jwk.use;
    // Frozen: issueJwt encodes it once.
    header = Object.freeze({ typ: 'at+jwt', jwk: Object.freeze(jwk) });
    ACCESS_TOKEN_HEADERS.set(key, header);
  }
  return header;
}

export class DeviceAccessTokenIssuer {
  constructor(
    private readonly settings: DeviceAccessTokenSettings,
    private readonly keys: BackendKeys,
    private readonly nonces: DeviceNonces,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The access-token URL of a device: the `htu` its proofs must name. */
  accessTokenUrl(deviceId: string): string {
    return `${this.settings.publicUrl}/clients/${deviceId}/access-token`;
  }

  /**
   * The nonce is the last check: the proof's must be the device's current
   * one, taken by an atomic compare-and-delete (one round trip). A proof
   * refused for any reason leaves the nonce in place.
   */
  async issue(account: Account, deviceId: string, proof: string): Promise<IssuedDeviceAccessToken> {
    const { settings } = this;
    const facts = userFacts(account, settings.domain);

    let verified;
    try {
      verified = await verifyDpopProof(proof, {
        htm: 'POST',
        htu: this.accessTokenUrl(deviceId),
        // Checked against the store below, once everything else holds.
        nonce: () => true,
        maxAgeSeconds: settings.proofMaxAge,
        leewaySeconds: settings.leewaySeconds,
        // The nonce is taken below, atomically and once: that is what makes each proof single-use.
        replay: 'nonce-consumed-by-caller',
        // A missing claim is named before anything else is checked.
        requiredClaims: checkProofClaimsPresent,
        algorithms: PROOF_ALGORITHMS,
        clock: this.clock,
      });
    } catch (error) {
      if (!(error instanceof DpopError)) throw error;
      if (error.code === 'DPOP_IAT_OUT_OF_WINDOW') {
        const future = /future/.test(error.message);
        throw new WireTokenError(future ? 'client-token-iat-in-future' : 'client-token-iat-too-old', error.message);
      }
      throw new WireTokenError(DPOP_LABELS[error.code] ?? 'client-token-bad-proof', error.message);
    }

    // EdDSA proofs are Ed25519 only (Ed448 is no Wire device key).
    if (verified.jwk.kty === 'OKP' && verified.jwk.crv !== 'Ed25519') {
      throw new WireTokenError('client-token-unsupported-alg', 'EdDSA proofs must use an Ed25519 key');
    }
    const now = Math.floor(this.clock() / 1000);
    const claims = checkProofClaims(verified.claims, {
      sub: clientIdUri(account.id, deviceId, settings.domain),
      ...facts,
      now,
      leewaySeconds: settings.leewaySeconds,
      maxLifetimeSeconds: settings.proofMaxLifetime,
    });
    // Taken last and atomically: of two concurrent requests with one nonce, one wins.
    if (!(await this.nonces.consume(account.id, deviceId, claims.nonce))) {
      throw new WireTokenError('client-token-bad-nonce', "the proof's nonce is not the device's current one");
    }

    const alg = verified.jwk.kty === 'OKP' ? 'EdDSA' : 'ES256';
    const key = this.keys.signerFor(alg);
    if (key === undefined) throw new WireTokenError('client-token-unsupported-alg', 'no backend key for this algorithm');
    const tokenClaims = deviceAccessTokenClaims({ raw: proof, claims, thumbprint: verified.thumbprint }, now, settings.accessTokenTtl);
    const token = await issueJwt(key.signer, accessTokenHeader(key), tokenClaims);
    return { token, expiresIn: settings.accessTokenTtl };
  }
}
