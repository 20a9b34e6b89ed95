import { createHash } from 'node:crypto';
import { x509 } from '../x509.js';

/**
 * RFC 5280 §4.2.1.2 method (1): the key identifier is the SHA-1 of the
 * subjectPublicKey BIT STRING. Here: SHA-1 over the whole SPKI DER, which
 * RFC 7093 §2 also allows, and which is stable for a given key.
 */
export function keyIdentifier(spki: Uint8Array): string {
  return createHash('sha1').update(spki).digest('hex');
}

/** The extensions every CA certificate of the chain carries (RFC 5280 §4.2.1.9, §4.2.1.3). */
export function caExtensions(spki: Uint8Array, issuerKeyId: string, pathLength?: number): x509.Extension[] {
  return [
    new x509.BasicConstraintsExtension(true, pathLength, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
    new x509.SubjectKeyIdentifierExtension(keyIdentifier(spki)),
    new x509.AuthorityKeyIdentifierExtension(issuerKeyId),
  ];
}
