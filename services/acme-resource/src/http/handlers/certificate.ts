import { x509 } from '../../x509.js';
import type { AcmeContext } from '../acme-context.js';
import { requestAccount, requirePostAsGet, type AcmeHandler } from '../acme-post.js';
import { sendAcme } from '../acme-response.js';
import { idParam, ownedCertificate } from './owned-resources.js';

/**
 * Certificate download (RFC 8555 §7.4.2), POST-as-GET by the account that
 * ordered it: `application/pem-certificate-chain` with the certificate and
 * the intermediate, and a `Link` rel="up" to the issuer's certificate.
 */
export function certificateResource(context: AcmeContext): AcmeHandler {
  return async (req, res, request) => {
    const account = requestAccount(request);
    requirePostAsGet(request);
    const certificate = await ownedCertificate(context, idParam(req.params.certificateId), account);
    const leaf = x509.PemConverter.encode(Buffer.from(certificate.der, 'base64'), 'CERTIFICATE');
    const wire = context.wire !== undefined && certificate.identifiers.some((identifier) => identifier.type.startsWith('wireapp-')) ? context.wire : undefined;
    const chain = `${leaf.trim()}\n${(wire?.ca ?? context.ca).chainPem.trim()}\n`;
    await sendAcme(res, 200, chain, {
      contentType: 'application/pem-certificate-chain',
      links: [{ url: wire?.intermediateUrl ?? context.urls.intermediateCertificate, rel: 'up' }],
    });
  };
}
