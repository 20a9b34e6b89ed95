import { createHash, randomBytes } from 'node:crypto';

/** Marks Sigil app passwords so secret scanners and people can tell them apart. */
const PREFIX = 'sigil-ap-';

/** 256 bits from the CSPRNG. */
const SECRET_BYTES = 32;

/** A newly generated app password: shown once, stored only as its hash. */
export interface GeneratedAppPassword {
  readonly password: string;
  readonly hash: string;
}

/**
 * The stored form of an app password: SHA-256, not a slow password hash.
 * Slow hashes (scrypt, argon2) exist to make guessing low-entropy,
 * human-chosen passwords expensive; an app password is generated here with
 * 256 bits of entropy, so no amount of hashing speed makes guessing it
 * feasible, and a fast hash keeps every WebDAV request with Basic auth cheap.
 */
export function appPasswordHash(password: string): string {
  return createHash('sha256').update(password, 'utf8').digest('hex');
}

export function generateAppPassword(): GeneratedAppPassword {
  const password = `${PREFIX}${randomBytes(SECRET_BYTES).toString('base64url')}`;
  return { password, hash: appPasswordHash(password) };
}

/** True when a string has the shape of an app password (cheap check before any lookup). */
export function looksLikeAppPassword(value: string): boolean {
  return value.startsWith(PREFIX) && value.length === PREFIX.length + 43;
}
