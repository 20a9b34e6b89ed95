import { randomBytes } from 'node:crypto';

/**
 * A certificate serial number of 128 random bits (RFC 5280 §4.1.2.2: a
 * positive integer of at most 20 octets; @peculiar/x509 adds the leading 00
 * octet DER needs when the top bit is set), in canonical form.
 */
export function randomSerialNumber(): string {
  return canonicalSerial(randomBytes(16).toString('hex'));
}

/** Serial numbers compare as integers: lower-case hex without leading zeros. */
export function canonicalSerial(hex: string): string {
  const trimmed = hex.toLowerCase().replace(/^0+/, '');
  return trimmed === '' ? '0' : trimmed;
}
