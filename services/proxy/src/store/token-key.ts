import { hash } from 'node:crypto';

/** Tokens and secrets are never keys themselves: their SHA-256 is (one-shot: every proxied request hashes its token). */
export function sha256Hex(value: string): string {
  return hash('sha256', value, 'hex');
}
