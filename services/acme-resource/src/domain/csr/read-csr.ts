import { createPublicKey, webcrypto, type JsonWebKey } from 'node:crypto';
import { jwkThumbprint } from '@sigil/crypto';
import { acmeError } from '../../acme/acme-problem.js';
import { x509 } from '../../x509.js';
import { verifyCsrSignature } from './verify-csr-signature.js';

/** The public key of a CSR, described the way key policies speak of keys. */
export interface CsrKey {
  readonly jwk: JsonWebKey;
  readonly thumbprint: string;
  /** `RSA` with its modulus size, `EC` with its curve, `OKP` with its curve. */
  readonly kty: 'RSA' | 'EC' | 'OKP';
  readonly bits?: number;
  readonly curve?: string;
  /** SubjectPublicKeyInfo DER, for the certificate. */
  readonly spki: Uint8Array;
}

/** The names a CSR asks for, by kind (RFC 5280 §4.2.1.6 GeneralName). */
export interface CsrSummary {
  readonly request: x509.Pkcs10CertificateRequest;
  readonly commonName?: string;
  readonly names: readonly { readonly type: string; readonly value: string }[];
  readonly key: CsrKey;
}

const SUBJECT_ALT_NAME = '2.5.29.17';

/**
 * Reads the `csr` of a finalize payload (RFC 8555 §7.4): base64url DER of a
 * PKCS#10 request (RFC 2986) whose signature verifies with its own key.
 * Every failure is badCSR with what is wrong.
 */
export async function readCsr(value: unknown): Promise<CsrSummary> {
  if (typeof value !== 'string' || value === '' || !/^[A-Za-z0-9_-]+$/.test(value)) {
    throw acmeError.malformed('"csr" must be the base64url DER of a PKCS#10 request');
  }
  let request: x509.Pkcs10CertificateRequest;
  try {
    request = new x509.Pkcs10CertificateRequest(Buffer.from(value, 'base64url'));
  } catch (error) {
    throw acmeError.badCSR('the CSR is not a DER-encoded PKCS#10 request', { cause: error });
  }
  const key = csrKey(request);
  let verified = verifyCsrSignature(request, createPublicKey({ key: Buffer.from(key.spki), format: 'der', type: 'spki' }));
  if (verified === undefined) {
    try {
      verified = await request.verify(webcrypto);
    } catch {
      verified = false;
    }
  }
  if (!verified) throw acmeError.badCSR('the CSR signature does not verify with the key it carries');
  return { request, ...commonNameOf(request), names: subjectAltNames(request), key };
}

function csrKey(request: x509.Pkcs10CertificateRequest): CsrKey {
  const spki = new Uint8Array(request.publicKey.rawData);
  let jwk: JsonWebKey;
  try {
    const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    jwk = key.export({ format: 'jwk' });
    const thumbprint = jwkThumbprint(jwk);
    const details = key.asymmetricKeyDetails ?? {};
    if (jwk.kty === 'RSA') return { jwk, thumbprint, kty: 'RSA', bits: details.modulusLength ?? 0, spki };
    if (jwk.kty === 'EC' || jwk.kty === 'OKP') return { jwk, thumbprint, kty: jwk.kty, curve: String(jwk.crv), spki };
  } catch (error) {
    throw acmeError.badCSR('the CSR public key cannot be read', { cause: error });
  }
  throw acmeError.badCSR(`the CSR key type ${String(jwk.kty)} is not accepted`);
}

function commonNameOf(request: x509.Pkcs10CertificateRequest): { commonName?: string } {
  const values = request.subjectName.getField('CN');
  if (values.length > 1) throw acmeError.badCSR('the CSR subject has more than one common name');
  return values[0] === undefined ? {} : { commonName: values[0] };
}

function subjectAltNames(request: x509.Pkcs10CertificateRequest): { type: string; value: string }[] {
  const extensions = request.extensions.filter((extension) => extension.type === SUBJECT_ALT_NAME);
  if (extensions.length > 1) throw acmeError.badCSR('the CSR has more than one subjectAltName extension');
  if (extensions.length === 0) return [];
  const san = new x509.SubjectAlternativeNameExtension(extensions[0]!.rawData);
  return san.names.items.map((name) => ({ type: name.type, value: name.value }));
}
