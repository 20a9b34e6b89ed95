import { constants, verify, type KeyObject } from 'node:crypto';
import type { x509 } from '../../x509.js';

/**
 * Checks the self-signature of a PKCS#10 request (RFC 2986 §4.2) with
 * node:crypto: the signature over the DER of `certificationRequestInfo`, the
 * first element of the outer SEQUENCE, sliced from the raw bytes as signed.
 * ECDSA signatures are DER (r, s) as X.509 carries them; RSA PKCS#1 v1.5
 * and Ed25519 as they are. Returns undefined for an algorithm it does not
 * handle (the caller falls back to the general verifier).
 */
export function verifyCsrSignature(request: x509.Pkcs10CertificateRequest, key: KeyObject): boolean | undefined {
  const info = firstElement(new Uint8Array(request.rawData));
  if (!info) return false;
  const algorithm = request.signatureAlgorithm as { name: string; hash?: { name: string } };
  const signature = new Uint8Array(request.signature);
  const digest = algorithm.hash?.name.replace('SHA-', 'sha') ?? null;
  try {
    switch (algorithm.name) {
      case 'ECDSA':
        return verify(digest, info, { key, dsaEncoding: 'der' }, signature);
      case 'RSASSA-PKCS1-v1_5':
        return verify(digest, info, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
      case 'Ed25519':
        return verify(null, info, key, signature);
      default:
        return undefined;
    }
  } catch {
    return false;
  }
}

/** The complete TLV of the first element inside a DER SEQUENCE, or undefined if the bytes are not one. */
function firstElement(der: Uint8Array): Uint8Array | undefined {
  if (der[0] !== 0x30) return undefined;
  const outer = lengthAt(der, 1);
  if (!outer) return undefined;
  const start = outer.next;
  const inner = lengthAt(der, start + 1);
  if (!inner) return undefined;
  const end = inner.next + inner.length;
  return end <= der.length ? der.subarray(start, end) : undefined;
}

function lengthAt(der: Uint8Array, offset: number): { length: number; next: number } | undefined {
  const first = der[offset];
  if (first === undefined) return undefined;
  if (first < 0x80) return { length: first, next: offset + 1 };
  const octets = first & 0x7f;
  if (octets === 0 || octets > 4) return undefined;
  let length = 0;
  for (let i = 1; i <= octets; i++) {
    const byte = der[offset + i];
    if (byte === undefined) return undefined;
    length = length * 256 + byte;
  }
  return { length, next: offset + 1 + octets };
}
