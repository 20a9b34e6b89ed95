/** Builds compact JWS strings by hand, for tests that need tokens no honest signer would make. */
export function encodeSegment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeSegment(segment: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Replaces the payload of a compact JWS, keeping its header and signature. */
export function withPayload(token: string, change: (claims: Record<string, unknown>) => void): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = decodeSegment(payload);
  change(claims);
  return `${header}.${encodeSegment(claims)}.${signature}`;
}

/** Replaces the header of a compact JWS, keeping its payload and signature. */
export function withHeader(token: string, change: (header: Record<string, unknown>) => void): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const decoded = decodeSegment(header);
  change(decoded);
  return `${encodeSegment(decoded)}.${payload}.${signature}`;
}
