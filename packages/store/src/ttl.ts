/**
 * Redis accepts `PX` only as a positive integer; the memory store applies the
 * same rule so that both implementations reject the same inputs.
 */
export function isTtl(ms: number): boolean {
  return Number.isSafeInteger(ms) && ms > 0;
}
