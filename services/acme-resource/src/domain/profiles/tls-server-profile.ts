import { acmeError } from '../../acme/acme-problem.js';
import type { CsrSummary } from '../csr/read-csr.js';
import { EXTENDED_KEY_USAGE, type CertificateProfile, type CertificateTemplate } from './certificate-profile.js';

/** RSA moduli accepted in a TLS server certificate (bits). */
export const RSA_KEY_SIZES = { min: 2048, max: 8192 } as const;
/** Elliptic curves accepted in a TLS server certificate. */
export const EC_CURVES: ReadonlySet<string> = new Set(['P-256', 'P-384']);

/** RFC 5280 §4.1.2.6 (ub-common-name): a common name holds at most 64 characters. */
const MAX_COMMON_NAME = 64;

/**
 * The profile of `dns` orders: a TLS server certificate for the order's DNS
 * names. The CSR names exactly the order's identifiers (SAN dNSName, plus an
 * optional CN among them), nothing else, with an RSA (2048–8192 bits) or
 * ECDSA P-256 / P-384 key that is not the account key (RFC 8555 §11.1 keeps
 * the account key for account management only).
 */
export const tlsServerProfile: CertificateProfile = {
  kind: 'dns',

  checkCsr(csr, context) {
    checkKey(csr);
    if (csr.key.thumbprint === context.accountThumbprint) {
      throw acmeError.badCSR('the CSR key is the account key; a certificate needs a key of its own');
    }
    const others = csr.names.filter((name) => name.type !== 'dns');
    if (others.length > 0) throw acmeError.badCSR(`the CSR asks for ${others[0]!.type} names; only DNS names can be certified here`);
    const requested = new Set(csr.names.map((name) => name.value.toLowerCase()));
    if (csr.commonName !== undefined) requested.add(csr.commonName.toLowerCase());
    const ordered = new Set(context.identifiers.map((identifier) => identifier.value));
    const extra = [...requested].filter((name) => !ordered.has(name));
    const missing = [...ordered].filter((name) => !requested.has(name));
    if (extra.length > 0) throw acmeError.badCSR(`the CSR names ${extra.join(', ')}, which the order does not hold`);
    if (missing.length > 0) throw acmeError.badCSR(`the CSR lacks ${missing.join(', ')}, which the order holds`);
  },

  template(csr, context): CertificateTemplate {
    const names = context.identifiers.map((identifier) => identifier.value);
    const commonName = csr.commonName?.toLowerCase() ?? names.find((name) => name.length <= MAX_COMMON_NAME);
    return {
      subject: commonName !== undefined && commonName.length <= MAX_COMMON_NAME ? [{ type: 'CN', value: commonName }] : [],
      subjectAltNames: names.map((value) => ({ type: 'dns', value })),
      // RSA key transport suites need keyEncipherment; ECDSA keys only sign.
      keyUsage: csr.key.kty === 'RSA' ? ['digitalSignature', 'keyEncipherment'] : ['digitalSignature'],
      extendedKeyUsage: [EXTENDED_KEY_USAGE.serverAuth],
    };
  },
};

function checkKey(csr: CsrSummary): void {
  const { key } = csr;
  if (key.kty === 'RSA') {
    const bits = key.bits ?? 0;
    if (bits < RSA_KEY_SIZES.min || bits > RSA_KEY_SIZES.max) {
      throw acmeError.badCSR(`an RSA key of ${bits} bits is not accepted; use ${RSA_KEY_SIZES.min} to ${RSA_KEY_SIZES.max} bits`);
    }
    return;
  }
  if (key.kty === 'EC' && key.curve !== undefined && EC_CURVES.has(key.curve)) return;
  throw acmeError.badCSR(`a ${key.kty} ${key.curve ?? ''} key is not accepted; use RSA (${RSA_KEY_SIZES.min}+ bits) or ECDSA P-256 / P-384`);
}
