import type { CertificateTemplate } from '../domain/profiles/certificate-profile.js';
import { x509 } from '../x509.js';
import { keyIdentifier } from './ca-extensions.js';
import type { CaChain } from './ca-chain.js';
import { randomSerialNumber } from './serial-number.js';
import { x509SigningKey, type X509SigningKey } from './signer-crypto.js';

export interface IssueRequest {
  readonly template: CertificateTemplate;
  /** SubjectPublicKeyInfo DER of the key to certify (from the CSR). */
  readonly spki: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export interface IssuedCertificate {
  readonly serial: string;
  readonly der: Uint8Array;
  readonly pem: string;
}

export interface CertificateAuthorityUrls {
  /**
   * Where the CRL is published: the CRL distribution point of every
   * certificate (RFC 5280 §4.2.1.13). Unset: no distribution point (an
   * issuer whose CRL this service does not publish).
   */
  readonly crl?: string | undefined;
  /** Where the issuer's certificate is (AIA caIssuers, RFC 5280 §4.2.2.1). */
  readonly issuer: string;
}

/**
 * Issues end-entity certificates from the intermediate: the content the
 * profile decided, plus what every certificate carries — a random 128-bit
 * serial, basicConstraints CA:false, SKI of the key and AKI of the
 * intermediate (RFC 5280 §4.2.1.1–2), the CRL distribution point and the
 * issuer URL.
 */
export class CertificateAuthority {
  readonly #signing: X509SigningKey;

  constructor(
    readonly chain: CaChain,
    readonly urls: CertificateAuthorityUrls,
  ) {
    this.#signing = x509SigningKey(chain.intermediateSigner);
  }

  /** The chain served with every certificate (RFC 8555 §7.4.2): the intermediate, then nothing above it. */
  get chainPem(): string {
    return this.chain.intermediate.toString('pem');
  }

  async issue(request: IssueRequest): Promise<IssuedCertificate> {
    const { template } = request;
    const serial = randomSerialNumber();
    const extensions: x509.Extension[] = [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        template.keyUsage.reduce((flags, usage) => flags | x509.KeyUsageFlags[usage], 0),
        true,
      ),
      new x509.ExtendedKeyUsageExtension([...template.extendedKeyUsage], false),
      new x509.SubjectKeyIdentifierExtension(keyIdentifier(request.spki)),
      new x509.AuthorityKeyIdentifierExtension(this.chain.intermediateKeyId),
      // RFC 5280 §4.2.1.6: with an empty subject the SAN extension is critical.
      new x509.SubjectAlternativeNameExtension(
        template.subjectAltNames.map((name) => ({ type: name.type, value: name.value })),
        template.subject.length === 0,
      ),
      ...(this.urls.crl !== undefined ? [new x509.CRLDistributionPointsExtension([this.urls.crl])] : []),
      new x509.AuthorityInfoAccessExtension({ caIssuers: [new x509.GeneralName('url', this.urls.issuer)] }),
    ];
    const certificate = await x509.X509CertificateGenerator.create(
      {
        serialNumber: serial,
        subject: template.subject.map((part) => `${part.type}=${escapeDnValue(part.value)}`).join(', '),
        issuer: this.chain.intermediate.subjectName,
        notBefore: request.notBefore,
        notAfter: request.notAfter,
        publicKey: request.spki,
        signingKey: this.#signing.signingKey,
        signingAlgorithm: this.#signing.signingAlgorithm,
        extensions,
      },
      this.#signing.crypto,
    );
    return { serial, der: new Uint8Array(certificate.rawData), pem: certificate.toString('pem') };
  }

  /** Signs a CRL through the intermediate's key (RFC 5280 §5). */
  signingKey(): X509SigningKey {
    return this.#signing;
  }
}

/** RFC 4514 §2.4: characters that must be escaped in a DN attribute value. */
function escapeDnValue(value: string): string {
  return value.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`).replace(/^[ #]/, (c) => `\\${c}`);
}
