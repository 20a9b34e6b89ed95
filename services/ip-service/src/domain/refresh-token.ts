import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { TokenSubject } from './token-claims.js';

/**
 * What a refresh token stands for. The token itself is 32 random bytes
 * (base64url) handed to the client once; the store keeps this record under
 * the token's SHA-256, never the token.
 */
export interface RefreshGrant {
  /** All refresh tokens rotated from one sign-in share a family; reuse of a rotated one revokes it whole. */
  readonly familyId: string;
  readonly appERC725Address: string;
  readonly subject: TokenSubject;
  readonly audiences: readonly string[];
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
}

export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function newFamilyId(): string {
  return randomUUID();
}

/** The name a refresh token is stored under: its SHA-256, hex. */
export function refreshTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
