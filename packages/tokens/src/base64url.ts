const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** True when `value` is unpadded base64url (RFC 7515 §2): Buffer's decoder alone would skip stray characters. */
export function isBase64url(value: string): boolean {
  return value.length % 4 !== 1 && BASE64URL.test(value);
}

export function encodeBase64url(data: Uint8Array | string): string {
  return Buffer.from(data).toString('base64url');
}

export function encodeBase64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}
