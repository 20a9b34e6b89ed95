import { timingSafeEqual } from 'node:crypto';

/**
 * Compares two byte strings (or UTF-8 strings) in time that depends only on
 * their lengths, never on where they first differ. Inputs of different
 * lengths are still compared in full, each padded to the longer length, so
 * an attacker learns no more than the lengths themselves.
 */
export function constantTimeEqual(a: Uint8Array | string, b: Uint8Array | string): boolean {
  const left = typeof a === 'string' ? Buffer.from(a, 'utf8') : a;
  const right = typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
  const width = Math.max(left.length, right.length, 1);
  const paddedLeft = Buffer.alloc(width);
  const paddedRight = Buffer.alloc(width);
  paddedLeft.set(left);
  paddedRight.set(right);
  // Evaluate the content comparison before the length check so both always run.
  const sameContent = timingSafeEqual(paddedLeft, paddedRight);
  const sameLength = left.length === right.length;
  return sameContent && sameLength;
}
