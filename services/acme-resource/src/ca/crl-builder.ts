import type { CertificateRecord } from '../domain/state/records.js';
import { x509 } from '../x509.js';
import type { CertificateAuthority } from './certificate-authority.js';

export interface BuiltCrl {
  readonly der: Uint8Array;
  readonly thisUpdate: number;
  readonly nextUpdate: number;
  readonly entries: number;
  readonly number: number;
}

/**
 * A CRL of every revoked certificate (RFC 5280 §5), signed by the
 * intermediate, with the AKI and a CRL number (§5.2.1, §5.2.3): the number
 * is the issue time in milliseconds, which grows across replicas without
 * a shared counter.
 */
export async function buildCrl(ca: CertificateAuthority, revoked: readonly CertificateRecord[], now: number, lifetimeMs: number): Promise<BuiltCrl> {
  const key = ca.signingKey();
  const crl = await x509.X509CrlGenerator.create(
    {
      issuer: ca.chain.intermediate.subjectName,
      thisUpdate: new Date(now),
      nextUpdate: new Date(now + lifetimeMs),
      signingKey: key.signingKey,
      signingAlgorithm: key.signingAlgorithm,
      extensions: [new x509.AuthorityKeyIdentifierExtension(ca.chain.intermediateKeyId), crlNumber(now)],
      entries: revoked.map((certificate) => ({
        serialNumber: certificate.serial.length % 2 === 0 ? certificate.serial : `0${certificate.serial}`,
        revocationDate: new Date(certificate.revocation!.revokedAt),
        // RFC 5280 §5.3.1: reasonCode "unspecified" SHOULD be left out.
        ...(certificate.revocation!.reason === 0 ? {} : { reason: certificate.revocation!.reason as x509.X509CrlReason }),
      })),
    },
    key.crypto,
  );
  return { der: new Uint8Array(crl.rawData), thisUpdate: now, nextUpdate: now + lifetimeMs, entries: revoked.length, number: now };
}

/** cRLNumber (2.5.29.20): a non-critical INTEGER, DER-encoded by hand (RFC 5280 §5.2.3). */
function crlNumber(value: number): x509.Extension {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  const content = Buffer.from(hex, 'hex');
  return new x509.Extension('2.5.29.20', false, Buffer.concat([Buffer.from([0x02, content.length]), content]));
}
