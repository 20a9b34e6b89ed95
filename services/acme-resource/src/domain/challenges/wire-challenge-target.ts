import { readWireDevice } from '../identifiers/wire-identifiers.js';
import type { AcceptedIdentifier } from '../identifiers/identifier-types.js';

/** Where the Wire challenges' tokens come from (settings). */
export interface WireTargets {
  /** The backend's base URL: device access tokens come from `{backend}/clients/{client id}/access-token`. */
  readonly backendUrl: string;
  /** The OpenID provider's issuer URL. */
  readonly oidcIssuer: string;
}

/**
 * The `target` member of a Wire challenge: for wire-dpop-01 the device's
 * access-token URL at the backend (the `iss` of the token the client brings),
 * for wire-oidc-01 the issuer of the ID token.
 */
export function wireChallengeTarget(type: string, identifier: AcceptedIdentifier, targets: WireTargets): string | undefined {
  if (type === 'wire-oidc-01') return targets.oidcIssuer;
  if (type === 'wire-dpop-01') {
    const device = readWireDevice(identifier.identifier.value);
    return device && `${targets.backendUrl}/clients/${device.deviceId}/access-token`;
  }
  return undefined;
}
