import type { Signer } from '@sigil/crypto';
import { encodeBase64url, encodeBase64urlJson } from './base64url.js';
import { isJwsAlgorithm } from './jws-algorithms.js';
import type { JwsHeaderParameters, JwtClaims } from './jwt-types.js';

/** Encoded protected headers of frozen header objects (the same for every token a key signs), by algorithm. */
const encodedHeaders = new WeakMap<JwsHeaderParameters, { readonly alg: string; readonly encoded: string }>();

function encodedHeader(alg: string, header: JwsHeaderParameters): string {
  const known = encodedHeaders.get(header);
  if (known?.alg === alg) return known.encoded;
  // `alg` first for readability, and last so no header member can replace it.
  const encoded = encodeBase64urlJson(Object.assign({ alg }, header, { alg }));
  if (Object.isFrozen(header)) encodedHeaders.set(header, { alg, encoded });
  return encoded;
}

/**
 * Signs a JWT in JWS compact serialization (RFC 7515 §7.1, RFC 7519 §7.1).
 * The serialization is built here and only the signing input is handed to
 * the Signer, so keys that never leave a PKCS#11 token can sign. `alg` is the
 * Signer's; the claims are signed exactly as given. A header frozen all
 * the way down (one object for every token of a kind) is encoded once.
 */
export async function issueJwt(signer: Signer, header: JwsHeaderParameters, claims: JwtClaims): Promise<string> {
  const alg = signer.algorithm;
  if (!isJwsAlgorithm(alg)) throw new TypeError(`a ${alg} key cannot sign a JWS`);
  if (header.alg !== undefined && header.alg !== alg) {
    throw new TypeError(`header alg "${String(header.alg)}" does not match the signing key's ${alg}`);
  }
  const signingInput = `${encodedHeader(alg, header)}.${encodeBase64urlJson(claims)}`;
  const signature = await signer.sign(Buffer.from(signingInput, 'latin1'));
  return `${signingInput}.${encodeBase64url(signature)}`;
}
