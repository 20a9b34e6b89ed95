import { acmeError } from '../../acme/acme-problem.js';
import type { CsrSummary } from '../csr/read-csr.js';
import { wireOrderParties } from '../identifiers/wire-identifiers.js';
import { EXTENDED_KEY_USAGE, type CertificateProfile, type CertificateTemplate, type FinalizeContext } from './certificate-profile.js';

/** The display name attribute (Netscape `displayName`, 2.16.840.1.113730.3.1.241) Wire CSRs carry the user's name in. */
export const DISPLAY_NAME_OID = '2.16.840.1.113730.3.1.241';

/** Keys a Wire device signs with: Ed25519, or ECDSA P-256 / P-384. */
function checkKey(csr: CsrSummary): void {
  const { key } = csr;
  if (key.kty === 'OKP' && key.curve === 'Ed25519') return;
  if (key.kty === 'EC' && (key.curve === 'P-256' || key.curve === 'P-384')) return;
  throw acmeError.badCSR(`a ${key.kty} ${key.curve ?? ''} key is not accepted for a device; use Ed25519 or ECDSA P-256 / P-384`);
}

function single(csr: CsrSummary, attribute: string): string | undefined {
  const values = csr.request.subjectName.getField(attribute);
  if (values.length > 1) throw acmeError.badCSR(`the CSR subject names ${attribute} more than once`);
  return values[0];
}

/**
 * The profile of `wire` orders: a client certificate for one device of one
 * user. The device's signing key is its ACME account key and the key its
 * certificate certifies, so here — unlike the TLS profile — the CSR key must
 * be the account key. The CSR names the user (display name = the order's
 * name, O = the domain) and, as SAN URIs, exactly the handle and the client
 * id; no DNS name, e-mail address or common name.
 */
export const wireClientProfile: CertificateProfile = {
  kind: 'wire',

  checkCsr(csr, context) {
    checkKey(csr);
    if (csr.key.thumbprint !== context.accountThumbprint) throw acmeError.badCSR('the CSR key must be the account key (the device key)');
    const { user, device } = wireOrderParties(context.identifiers);
    if (csr.commonName !== undefined) throw acmeError.badCSR('the CSR must not carry a common name');
    const subjectTypes = csr.request.subjectName.toJSON().flatMap((rdn) => Object.keys(rdn));
    const unexpected = subjectTypes.filter((type) => type !== 'O' && type !== DISPLAY_NAME_OID);
    if (unexpected.length > 0) throw acmeError.badCSR(`the CSR subject holds ${unexpected.join(', ')}; only O and the display name are allowed`);
    if (single(csr, DISPLAY_NAME_OID) !== user.name) throw acmeError.badCSR('the CSR display name is not the order’s name');
    if (single(csr, 'O') !== user.domain) throw acmeError.badCSR('the CSR organization is not the order’s domain');
    const others = csr.names.filter((name) => name.type !== 'url');
    if (others.length > 0) throw acmeError.badCSR(`the CSR asks for ${others[0]!.type} names; only the handle and client id URIs can be certified`);
    const requested = new Set(csr.names.map((name) => name.value));
    const expected = [device.handle, device.clientId];
    if (requested.size !== csr.names.length || requested.size !== expected.length || !expected.every((uri) => requested.has(uri))) {
      throw acmeError.badCSR('the CSR subjectAltName URIs must be exactly the order’s handle and client id');
    }
  },

  template(_csr, context: FinalizeContext): CertificateTemplate {
    const { user, device } = wireOrderParties(context.identifiers);
    return {
      subject: [
        { type: 'CN', value: user.name },
        { type: 'O', value: user.domain },
      ],
      subjectAltNames: [
        { type: 'url', value: device.handle },
        { type: 'url', value: device.clientId },
      ],
      keyUsage: ['digitalSignature'],
      extendedKeyUsage: [EXTENDED_KEY_USAGE.clientAuth],
    };
  },
};
