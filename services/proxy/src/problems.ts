import { Problem } from '@sigil/service-kit';

/**
 * A 401: no usable credentials. Answered with a challenge for both schemes
 * the proxy accepts (Bearer with the error when a token was refused, RFC
 * 6750 §3; Basic for app passwords, RFC 7617), or with a redirect to the
 * login when the request is a browser navigation.
 */
export class AuthenticationRequired extends Problem {
  constructor(
    code: string,
    detail: string,
    /** Set when a bearer token was presented and refused (RFC 6750 §3.1). */
    readonly bearerError?: { code: 'invalid_token' | 'invalid_request'; description: string },
  ) {
    super(401, code, 'Unauthorized', { detail });
  }
}

/** A bearer token refused by the IdP or by local JWT checks. */
export const invalidToken = (description: string) =>
  new AuthenticationRequired('invalid-token', description, { code: 'invalid_token', description });

const unavailable = (code: string, detail: string, cause?: unknown) =>
  new Problem(503, code, 'Service Unavailable', { detail, headers: { 'retry-after': '5' }, cause });

/** The IdP is down, slow or answered nonsense: never a pass-through (fail closed). */
export const idpUnavailable = (detail: string, cause?: unknown) => unavailable('idp-unavailable', detail, cause);

/** A JWT from an issuer this proxy does not trust: no IdP can vouch for it here. */
export const unknownIssuer = () => unavailable('idp-unknown-issuer', 'The token was issued by an identity provider this proxy does not know');

export const ldapUnavailable = (cause?: unknown) => unavailable('ldap-unavailable', 'The corporate directory could not be reached', cause);

export const provisioningBusy = () => unavailable('provisioning-busy', 'The account is being provisioned; try again');

export const notAllowed = () =>
  new Problem(403, 'account-not-allowed', 'Forbidden', { detail: 'The user is not a member of a group allowed to use this service' });

export const provisioningOff = () => new Problem(403, 'account-not-provisioned', 'Forbidden', { detail: 'The user has no account here' });

export const upstreamUnreachable = (detail: string, cause?: unknown) => new Problem(502, 'upstream-unreachable', 'Bad Gateway', { detail, cause });

export const upstreamTimeout = () => new Problem(504, 'upstream-timeout', 'Gateway Timeout', { detail: 'The upstream did not answer in time' });

/** RFC 4918 §9.8.5 / §9.9.4: the destination is on another server or behind another upstream. */
export const destinationForeign = () =>
  new Problem(502, 'destination-foreign', 'Bad Gateway', { detail: 'The Destination is not on the same upstream as the request' });

export const legacyUnavailable = (cause?: unknown) => new Problem(502, 'legacy-unavailable', 'Bad Gateway', { detail: 'The legacy backend could not be asked about the user', cause });

export const unsafePath = () => new Problem(400, 'path-malformed', 'Bad Request', { detail: 'The path holds a dot segment or an encoded separator' });

export const bearerRequired = () => new Problem(403, 'bearer-required', 'Forbidden', { detail: 'This API takes an OpenID Connect bearer token, not an app password' });

export const adminRequired = () => new Problem(403, 'admin-required', 'Forbidden', { detail: 'The admin API needs the admin scope or group' });
