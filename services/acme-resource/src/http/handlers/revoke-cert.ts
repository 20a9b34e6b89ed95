import { createPublicKey } from 'node:crypto';
import { jwkThumbprint } from '@sigil/crypto';
import { acmeError } from '../../acme/acme-problem.js';
import { canonicalSerial } from '../../ca/serial-number.js';
import { isWireCertificate } from '../../domain/identifiers/wire-identifiers.js';
import { checkRevocationReason } from '../../domain/revocation-reason.js';
import type { VerifiedRequest } from '../../domain/jws/jws-types.js';
import type { CertificateRecord } from '../../domain/state/records.js';
import { x509 } from '../../x509.js';
import type { AcmeContext } from '../acme-context.js';
import { payloadObject, type AcmeHandler } from '../acme-post.js';
import { sendAcme } from '../acme-response.js';

/**
 * revokeCert (RFC 8555 §7.6): signed either by an account (`kid`) — the one
 * that ordered the certificate, or one holding valid authorizations for all
 * its identifiers — or by the certificate's own key (`jwk`). The reason must
 * be one a subscriber may give (badRevocationReason); a certificate already
 * revoked is alreadyRevoked. Its issuer's CRL is rebuilt before the answer.
 */
export function revokeCert(context: AcmeContext): AcmeHandler {
  return async (_req, res, request) => {
    const payload = payloadObject(request, 'revokeCert');
    const der = certificateDer(payload.certificate);
    const reason = checkRevocationReason(payload.reason);
    const certificate = await issuedCertificate(context, der);
    await checkAuthority(context, request, certificate, der);
    if (certificate.revocation || !(await context.certificates.claimRevocation(certificate.serial))) {
      throw acmeError.alreadyRevoked('the certificate is already revoked');
    }
    const revoked: CertificateRecord = { ...certificate, revocation: { reason, revokedAt: context.now() } };
    await context.certificates.markRevoked(revoked);
    await (isWireCertificate(revoked) && context.wireCrl !== undefined ? context.wireCrl : context.crl).rebuild(true);
    await sendAcme(res, 200, undefined);
  };
}

function certificateDer(value: unknown): Buffer {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]+$/.test(value)) throw acmeError.malformed('"certificate" must be the base64url DER of a certificate');
  return Buffer.from(value, 'base64url');
}

async function issuedCertificate(context: AcmeContext, der: Buffer): Promise<CertificateRecord> {
  let serial: string;
  try {
    serial = canonicalSerial(new x509.X509Certificate(der).serialNumber);
  } catch {
    throw acmeError.malformed('"certificate" is not a DER certificate');
  }
  const record = await context.certificates.bySerial(serial);
  if (!record || !Buffer.from(record.der, 'base64').equals(der)) throw acmeError.malformed('this CA did not issue the certificate', { status: 404 });
  return record;
}

async function checkAuthority(context: AcmeContext, request: VerifiedRequest, certificate: CertificateRecord, der: Buffer): Promise<void> {
  if (request.account) {
    if (request.account.id === certificate.accountId) return;
    const authorized = new Set((await context.orders.validAuthorizations(request.account.id)).map((authz) => authz.identifier.value));
    const covered = certificate.identifiers.every((identifier) => authorized.has(identifier.value.replace(/^\*\./, '')));
    if (covered) return;
    throw acmeError.unauthorized('the account neither ordered this certificate nor holds authorizations for all its identifiers');
  }
  const spki = Buffer.from(new x509.X509Certificate(der).publicKey.rawData);
  const certificateKey = jwkThumbprint(createPublicKey({ key: spki, format: 'der', type: 'spki' }).export({ format: 'jwk' }));
  if (certificateKey !== request.thumbprint) throw acmeError.unauthorized('the request is not signed by the certificate\'s key');
}
