import { hash } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import { InvalidKeyError, UnsupportedKeyError } from './errors.js';

/**
 * The members that identify a key, per key type: RFC 7638 §3.2 (EC, RSA) and
 * RFC 8037 §2 (OKP). Listed in lexicographic order, as §3.3 requires.
 */
const REQUIRED_MEMBERS: ReadonlyMap<unknown, readonly string[]> = new Map([
  ['EC', ['crv', 'kty', 'x', 'y']],
  ['OKP', ['crv', 'kty', 'x']],
  ['RSA', ['e', 'kty', 'n']],
]);

/**
 * RFC 7638 JWK thumbprint: base64url(SHA-256) of the JSON object holding only
 * the required members, in lexicographic order, without whitespace (§3.1).
 * Private members are ignored, so a private JWK and its public half agree.
 */
export function jwkThumbprint(jwk: JsonWebKey): string {
  const kty = jwk.kty;
  const members = REQUIRED_MEMBERS.get(kty);
  if (members === undefined) throw new UnsupportedKeyError(`no thumbprint for key type ${String(kty)}`);
  const required: Record<string, string> = {};
  for (const name of members) {
    const value = jwk[name];
    // §3.2: the required members MUST be present; JSON.stringify keeps insertion order.
    if (typeof value !== 'string' || value === '') {
      throw new InvalidKeyError(`${kty} JWK lacks its "${name}" member`);
    }
    required[name] = value;
  }
  return hash('sha256', JSON.stringify(required), 'base64url');
}
