import type { Identifier } from '../../acme/wire-types.js';
import type { CsrSummary } from '../csr/read-csr.js';
import type { OrderKind } from '../state/records.js';

/** What a finalize request is checked against. */
export interface FinalizeContext {
  readonly identifiers: readonly Identifier[];
  /** RFC 7638 thumbprint of the ordering account's key. */
  readonly accountThumbprint: string;
}

/** The content of a certificate a profile decides; the CA adds serial, validity, issuer, SKI/AKI and CRL DP. */
export interface CertificateTemplate {
  readonly subject: readonly { readonly type: 'CN' | 'O'; readonly value: string }[];
  readonly subjectAltNames: readonly { readonly type: 'dns' | 'url'; readonly value: string }[];
  /** RFC 5280 §4.2.1.3 bits, by @peculiar/x509's names. */
  readonly keyUsage: readonly ('digitalSignature' | 'keyEncipherment')[];
  /** RFC 5280 §4.2.1.12 purposes, as OIDs. */
  readonly extendedKeyUsage: readonly string[];
}

/**
 * One certificate profile per order kind: what a CSR must look like (RFC
 * 8555 §7.4: "the CSR MUST indicate the exact same set of requested
 * identifiers as the initial newOrder request") and what the certificate
 * holds. Throws badCSR with a reason a person can act on.
 */
export interface CertificateProfile {
  readonly kind: OrderKind;
  checkCsr(csr: CsrSummary, context: FinalizeContext): void;
  template(csr: CsrSummary, context: FinalizeContext): CertificateTemplate;
}

export const EXTENDED_KEY_USAGE = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;
