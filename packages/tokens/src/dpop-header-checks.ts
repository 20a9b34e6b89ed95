// The JOSE-header half of DPoP proof validation (RFC 9449 §4.3), one check a
// function. The claim half is in dpop-claim-checks.ts; verify-dpop-proof.ts
// runs both in order.
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { CompactJws } from './compact-jws.js';
import { DpopError } from './dpop-error.js';
import { jwkFitsAlgorithm, keyFitsAlgorithm, type JwsAlgorithm } from './jws-algorithms.js';
import { verifySignatureWithCheckedKey } from '@sigil/crypto';
import { hasSecretMembers, toPublicJwk } from './public-jwk.js';

/** §4.3 check 2 (a well-formed JWT), RFC 7515 §4.1.11: no extension this verifier would have to understand. */
export function checkNoCriticalExtensions(header: Record<string, unknown>): void {
  if (header.crit !== undefined) throw new DpopError('DPOP_MALFORMED', 'the proof marks header extensions as critical');
}

/** §4.3 check 4: the `typ` header is `dpop+jwt`, which keeps other JWTs from passing as proofs. */
export function checkTyp(header: Record<string, unknown>): void {
  if (header.typ !== 'dpop+jwt') throw new DpopError('DPOP_TYP_INVALID', 'the proof typ is not dpop+jwt');
}

/** §4.3 check 5: `alg` is an asymmetric signature algorithm (never `none`, never a MAC) that local policy allows. */
export function checkAlg(header: Record<string, unknown>, allowed: ReadonlySet<string>): JwsAlgorithm {
  const { alg } = header;
  if (typeof alg !== 'string' || !allowed.has(alg)) {
    throw new DpopError('DPOP_ALG_NOT_ALLOWED', `the proof alg ${JSON.stringify(alg)} is not allowed`);
  }
  return alg as JwsAlgorithm;
}

/**
 * §4.3 check 7, run before check 6 so that nothing is ever done with a
 * private key a client mistakenly sent: the `jwk` header (§4.2) is a public
 * key, of the type `alg` needs. Returns it reduced to its public members, and
 * imported once for the signature check.
 */
export function checkJwk(header: Record<string, unknown>, alg: JwsAlgorithm): { jwk: JsonWebKey; key: KeyObject } {
  const { jwk } = header;
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) {
    throw new DpopError('DPOP_JWK_INVALID', 'the proof has no jwk header');
  }
  const received = jwk as JsonWebKey;
  if (hasSecretMembers(received)) throw new DpopError('DPOP_JWK_INVALID', 'the proof jwk holds a private key');
  if (!jwkFitsAlgorithm(received, alg)) throw new DpopError('DPOP_JWK_INVALID', `the proof jwk is not a key for ${alg}`);
  const publicJwk = toPublicJwk(received);
  let key: KeyObject;
  try {
    key = createPublicKey({ key: publicJwk, format: 'jwk' });
  } catch (cause) {
    throw new DpopError('DPOP_JWK_INVALID', 'the proof jwk is not a valid public key', { cause });
  }
  if (!keyFitsAlgorithm(key, alg)) throw new DpopError('DPOP_JWK_INVALID', `the proof jwk is too weak or unfit for ${alg}`);
  return { jwk: publicJwk, key };
}

/** §4.3 check 6: the signature verifies with the public key in the `jwk` header. */
export async function checkSignature(alg: JwsAlgorithm, key: KeyObject, jws: CompactJws): Promise<void> {
  if (!(await verifySignatureWithCheckedKey(alg, key, jws.signingInput, jws.signature))) {
    throw new DpopError('DPOP_SIGNATURE_INVALID', 'the proof signature does not verify');
  }
}
