/**
 * A local account. Stored as JSON without expiry; fields are added, never
 * renamed, so that older records keep reading (new optional fields have a
 * default where they are read).
 */
export interface Account {
  /** A random UUID: the `sub` of every token about this account. */
  readonly id: string;
  /** Unique, lowercase; what the user signs in with. */
  readonly username: string;
  readonly displayName: string;
  /** Unique (case-insensitively) when present. */
  readonly email: string | null;
  readonly emailVerified: boolean;
  /** PHC scrypt string; null for an account created from an external identity only. */
  readonly passwordHash: string | null;
  /** The team the user belongs to (a UUID), if any. */
  readonly teamId: string | null;
  /** The user's handle, unique; the user name at registration. */
  readonly handle: string;
  readonly groups: readonly string[];
  /** A disabled account cannot sign in, and its tokens stop working. */
  readonly enabled: boolean;
  /** ISO 8601. */
  readonly createdAt: string;
}

/** What registration (local or from an external identity) asks of the user. */
export interface RegistrationInput {
  readonly username: string;
  readonly displayName: string;
  readonly email: string;
  /** Absent when the account is created from an external identity. */
  readonly password?: string;
  readonly passwordConfirmation?: string;
}

export type RegistrationField = 'username' | 'displayName' | 'email' | 'password' | 'passwordConfirmation';

/** The validated fields of a new account (user name and e-mail normalized). */
export interface RegistrationData {
  readonly username: string;
  readonly displayName: string;
  readonly email: string | null;
  readonly password: string | null;
}

/** User names double as handles: lowercase letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,31}$/;
const EMAIL_PATTERN = /^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;

/** Normalized user name: NFKC, trimmed, lowercase. */
export function normalizeUsername(value: string): string {
  return value.normalize('NFKC').trim().toLowerCase();
}

export function normalizeEmail(value: string): string {
  return value.normalize('NFKC').trim().toLowerCase();
}

/**
 * Checks a registration form and says, field by field, what is wrong (the
 * messages are shown to the user as they are). Uniqueness is the store's
 * business; the password policy is `checkPasswordPolicy`.
 */
export function validateRegistration(
  input: RegistrationInput,
  checkPassword: (password: string, username: string) => string | undefined,
): { ok: true; data: RegistrationData } | { ok: false; errors: Partial<Record<RegistrationField, string>> } {
  const errors: Partial<Record<RegistrationField, string>> = {};
  const username = normalizeUsername(input.username);
  if (!USERNAME_PATTERN.test(username)) {
    errors.username = 'Use 2 to 32 characters: lowercase letters, digits, dots, dashes and underscores, starting with a letter or digit.';
  }
  const displayName = input.displayName.normalize('NFKC').trim();
  if (displayName === '' || displayName.length > 64 || CONTROL.test(displayName)) {
    errors.displayName = 'Enter a display name of 1 to 64 characters.';
  }
  const email = normalizeEmail(input.email);
  if (email !== '' && (email.length > 254 || !EMAIL_PATTERN.test(email))) {
    errors.email = 'Enter a valid e-mail address, or leave it empty.';
  }
  let password: string | null = null;
  if (input.password !== undefined) {
    const problem = checkPassword(input.password, username);
    if (problem !== undefined) errors.password = problem;
    else if (input.password !== input.passwordConfirmation) errors.passwordConfirmation = 'The two passwords differ.';
    password = input.password;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, data: { username, displayName, email: email === '' ? null : email, password } };
}
