import { createHash } from 'node:crypto';

/**
 * The DPoP `ath` claim (RFC 9449 §4.2): base64url of the SHA-256 of the ASCII
 * access token value.
 */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}
