import { createHash } from 'node:crypto';

/** Tokens and secrets are never keys themselves: their SHA-256 is. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}
