import type { RequestHandler } from 'express';
import type { CrlPublisher } from '../../ca/crl-publisher.js';
import type { AcmeContext } from '../acme-context.js';

/**
 * GET /crl (the main intermediate's) and /crl/wire (the Wire
 * intermediate's): the current CRL, DER (`application/pkix-crl`, RFC 5280
 * §4.2.1.13 distribution points), rebuilt when stale; cacheable until its
 * refresh.
 */
export function crlResource(publisher: CrlPublisher, now: () => number): RequestHandler {
  return async (_req, res) => {
    const crl = await publisher.current();
    const maxAge = Math.max(0, Math.floor((crl.thisUpdate + (crl.nextUpdate - crl.thisUpdate) / 2 - now()) / 1000));
    res.setHeader('Cache-Control', `public, max-age=${Math.min(maxAge, 3600)}`);
    res.setHeader('Last-Modified', new Date(crl.thisUpdate).toUTCString());
    res.status(200).type('application/pkix-crl').send(Buffer.from(crl.der, 'base64'));
  };
}

/** GET /ca/root and /ca/intermediate: the CA certificates, PEM. */
export function caCertificate(context: AcmeContext, which: 'root' | 'intermediate'): RequestHandler {
  return (_req, res) => {
    res.status(200).type('application/pem-certificate-chain').send(context.ca.chain[which].toString('pem') + '\n');
  };
}

/** GET /terms: the terms of service the directory points to, when no outside URL is configured. */
export const termsOfService: RequestHandler = (_req, res) => {
  res
    .status(200)
    .type('text/plain')
    .send(
      'Sigil ACME certificate authority: terms of service.\n\n' +
        'Certificates are issued for names whose control the account has shown through ACME challenges.\n' +
        'Revoke a certificate whose key is compromised. The CA may revoke certificates issued in error.\n',
    );
};
