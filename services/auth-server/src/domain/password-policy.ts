/** Shortest and longest passwords accepted, in characters (NIST SP 800-63B §5.1.1.2 asks for at least 8; Sigil asks 12). */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

// A few passwords every breach corpus starts with; a deployment that needs
// more checks them upstream (NIST SP 800-63B §5.1.1.2 "commonly-used").
const COMMON = new Set([
  'password', 'password1', 'password123', '123456789012', 'qwertyuiop', 'qwertyuiopas', 'iloveyou1234',
  'letmein12345', 'welcome12345', 'administrator', 'passwordpassword', 'changeme1234', '1q2w3e4r5t6y',
]);

/**
 * The password policy: length, not the user name, not a well-known password,
 * not one repeated character. Returns what is wrong, in words for the user,
 * or undefined when the password is acceptable.
 */
export function checkPasswordPolicy(password: string, username: string): string | undefined {
  const characters = [...password.normalize('NFKC')];
  if (characters.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (characters.length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  const lower = password.toLowerCase();
  if (username !== '' && lower.includes(username)) return 'The password must not contain your user name.';
  if (COMMON.has(lower)) return 'This password is too common; choose another.';
  if (new Set(characters).size < 4) return 'Use at least 4 different characters.';
  return undefined;
}
