import { acmeError } from '../../acme/acme-problem.js';
import type { ProtectedHeader } from './jws-types.js';

/** Consumes a nonce once, across every replica; true when it was issued and not used before. */
export type ConsumeNonce = (nonce: string) => Promise<boolean>;

const NONCE = /^[A-Za-z0-9_-]+$/;

/**
 * Step 7 (RFC 8555 §6.5): the `nonce` header parameter is present, is
 * base64url (§6.5.1), and is one this server issued and nobody used yet;
 * otherwise badNonce, which clients answer by retrying with the fresh
 * `Replay-Nonce` of the error response (§6.5). Last in the chain, so a
 * request refused for any other reason leaves its nonce usable.
 */
export async function checkNonce(header: ProtectedHeader, consumeNonce: ConsumeNonce): Promise<void> {
  if (header.nonce === undefined) throw acmeError.badNonce('the JWS protected header lacks "nonce"');
  if (typeof header.nonce !== 'string' || !NONCE.test(header.nonce)) throw acmeError.badNonce('the "nonce" is not base64url');
  if (!(await consumeNonce(header.nonce))) throw acmeError.badNonce('the nonce is unknown, expired or already used');
}
