import type { Signer } from '@sigil/crypto';
import { x509 } from '../x509.js';
import { caExtensions, keyIdentifier } from './ca-extensions.js';
import { randomSerialNumber } from './serial-number.js';
import { x509SigningKey } from './signer-crypto.js';

export interface CaCertificateRequest {
  readonly subject: string;
  /** SubjectPublicKeyInfo DER of the certified key. */
  readonly spki: Uint8Array;
  readonly issuer: { readonly name: string; readonly keyId: string; readonly signer: Signer };
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** RFC 5280 §4.2.1.9 pathLenConstraint; omitted for a root. */
  readonly pathLength?: number;
  /** Further extensions (an issuing CA's name constraints). */
  readonly extensions?: readonly x509.Extension[];
}

/** A CA certificate (root when subject and issuer are one, else an intermediate), signed by `issuer.signer`. */
export async function createCaCertificate(request: CaCertificateRequest): Promise<x509.X509Certificate> {
  const key = x509SigningKey(request.issuer.signer);
  return x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerialNumber(),
      subject: request.subject,
      issuer: request.issuer.name,
      notBefore: request.notBefore,
      notAfter: request.notAfter,
      publicKey: request.spki,
      signingKey: key.signingKey,
      signingAlgorithm: key.signingAlgorithm,
      extensions: [...caExtensions(request.spki, request.issuer.keyId, request.pathLength), ...(request.extensions ?? [])],
    },
    key.crypto,
  );
}

export { keyIdentifier };
