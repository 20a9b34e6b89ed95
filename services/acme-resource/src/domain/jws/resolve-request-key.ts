import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { isPrivateJwk, jwkThumbprint } from '@sigil/crypto';
import { acmeError } from '../../acme/acme-problem.js';
import type { AccountRecord } from '../state/records.js';
import type { KeyRule, ProtectedHeader, RequestKey } from './jws-types.js';

/** Finds the account a `kid` names (its account URL); null when there is none. */
export type AccountByKid = (kid: string) => Promise<AccountRecord | null>;

/**
 * Step 4 (RFC 8555 §6.2): exactly one of `jwk` and `kid`. `jwk` only where
 * the RFC allows it (newAccount, revokeCert by certificate key, the inner
 * JWS of keyChange); `kid` everywhere else, naming an existing account
 * (§6.2: else accountDoesNotExist) that is not deactivated (§7.3.6: 401
 * unauthorized).
 */
export async function resolveRequestKey(header: ProtectedHeader, rule: KeyRule, accountByKid: AccountByKid): Promise<RequestKey> {
  const hasJwk = header.jwk !== undefined;
  const hasKid = header.kid !== undefined;
  if (hasJwk === hasKid) throw acmeError.malformed('the JWS protected header must have exactly one of "jwk" and "kid" (RFC 8555 §6.2)');
  if (hasJwk) {
    if (rule === 'kid') throw acmeError.malformed('this resource takes a "kid" naming the account, not a "jwk" (RFC 8555 §6.2)');
    return embeddedKey(header.jwk);
  }
  if (rule === 'jwk') throw acmeError.malformed('this resource takes the account key as "jwk", not a "kid" (RFC 8555 §6.2)');
  if (typeof header.kid !== 'string') throw acmeError.malformed('"kid" must be the account URL');
  const account = await accountByKid(header.kid);
  if (!account) throw acmeError.accountDoesNotExist('no account exists at the "kid" URL');
  if (account.status !== 'valid') {
    throw acmeError.unauthorized(`the account is ${account.status}`, { status: 401 });
  }
  return { jwk: account.jwk, key: publicKeyOf(account.jwk), thumbprint: account.thumbprint, account };
}

/** A `jwk` header member: a public key of a type the server verifies (RFC 7517 §4; badPublicKey otherwise). */
export function embeddedKey(value: unknown): RequestKey {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw acmeError.malformed('"jwk" must be a JSON Web Key object');
  const jwk = value as JsonWebKey;
  if (isPrivateJwk(jwk)) throw acmeError.malformed('"jwk" must be a public key; it holds private key material');
  if (jwk.kty !== 'EC' && jwk.kty !== 'RSA' && jwk.kty !== 'OKP') {
    throw acmeError.badPublicKey(`key type ${String(jwk.kty).slice(0, 16)} is not accepted; use EC, RSA or OKP (Ed25519)`);
  }
  let thumbprint: string;
  let key: KeyObject;
  try {
    thumbprint = jwkThumbprint(jwk);
    key = publicKeyOf(jwk);
  } catch (error) {
    throw acmeError.badPublicKey('"jwk" is not a usable public key', { cause: error });
  }
  return { jwk: canonicalJwk(jwk), key, thumbprint };
}

function publicKeyOf(jwk: JsonWebKey): KeyObject {
  return createPublicKey({ key: jwk, format: 'jwk' });
}

/** Keeps only the members that define the key (RFC 7638 §3.2), so the stored key carries nothing else. */
function canonicalJwk(jwk: JsonWebKey): JsonWebKey {
  switch (jwk.kty) {
    case 'EC':
      return { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y };
    case 'OKP':
      return { kty: 'OKP', crv: jwk.crv, x: jwk.x };
    default:
      return { kty: 'RSA', n: jwk.n, e: jwk.e };
  }
}
