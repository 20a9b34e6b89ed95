import { normalizeEmail, normalizeUsername, USERNAME_PATTERN } from './account.js';

/** Which upstream claims (ID token or userinfo members) carry what Sigil needs. */
export interface ClaimMapping {
  readonly subject: string;
  readonly username: string;
  readonly displayName: string;
  readonly email: string;
}

/** Who the user is at an external provider. */
export interface ExternalIdentity {
  readonly providerId: string;
  /** The provider's stable identifier of the user (a string, even where the provider uses numbers). */
  readonly subject: string;
  readonly username: string | undefined;
  readonly displayName: string | undefined;
  readonly email: string | undefined;
}

/** The upstream answer had no usable subject: nothing can be linked to it. */
export class ExternalIdentityError extends Error {
  readonly code = 'EXTERNAL_IDENTITY_INVALID';
  override readonly name = 'ExternalIdentityError';
}

function text(value: unknown, max: number): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' || trimmed.length > max ? undefined : trimmed;
}

/** Applies a provider's claim mapping to what it said about the user (claims later in the list win over earlier ones). */
export function mapExternalIdentity(providerId: string, mapping: ClaimMapping, ...sources: Record<string, unknown>[]): ExternalIdentity {
  const claims = Object.assign({}, ...sources) as Record<string, unknown>;
  const subject = text(claims[mapping.subject], 255);
  if (subject === undefined) throw new ExternalIdentityError(`the provider gave no usable "${mapping.subject}" claim`);
  return {
    providerId,
    subject,
    username: text(claims[mapping.username], 255),
    displayName: text(claims[mapping.displayName], 64),
    email: text(claims[mapping.email], 254),
  };
}

/** Suggestions for the registration form of a new account made from an external identity. */
export function suggestedRegistration(identity: ExternalIdentity): { username: string; displayName: string; email: string } {
  const candidate = normalizeUsername(identity.username ?? identity.email?.split('@')[0] ?? '').replace(/[^a-z0-9._-]/g, '-').slice(0, 32);
  return {
    username: USERNAME_PATTERN.test(candidate) ? candidate : '',
    displayName: identity.displayName ?? identity.username ?? '',
    email: identity.email === undefined ? '' : normalizeEmail(identity.email),
  };
}
