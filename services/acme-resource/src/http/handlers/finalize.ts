import { randomBytes } from 'node:crypto';
import { acmeError } from '../../acme/acme-problem.js';
import { readCsr } from '../../domain/csr/read-csr.js';
import { CERTIFICATE_PROFILES } from '../../domain/profiles/certificate-profiles.js';
import { orderStatus } from '../../domain/state/order-status.js';
import type { CertificateRecord, OrderRecord } from '../../domain/state/records.js';
import type { AcmeContext } from '../acme-context.js';
import { payloadObject, requestAccount, type AcmeHandler } from '../acme-post.js';
import { sendAcme } from '../acme-response.js';
import { orderObject } from '../representation.js';
import { idParam, ownedOrder } from './owned-resources.js';

/** How long one replica may hold an order's finalization. */
const FINALIZATION_LEASE_MS = 60_000;

/**
 * finalize (RFC 8555 §7.4): only a `ready` order (else orderNotReady, 403);
 * the CSR is checked against the order's profile (badCSR, order unchanged);
 * then one replica — the one that takes the finalization lease — moves the
 * order to `processing`, issues the certificate and moves it to `valid`
 * (or `invalid` with the error if issuance fails), and answers with the
 * order.
 */
export function finalize(context: AcmeContext): AcmeHandler {
  return async (req, res, request) => {
    const account = requestAccount(request);
    const order = await ownedOrder(context, idParam(req.params.orderId), account);
    const payload = payloadObject(request, 'finalize');
    const authorizations = await context.orders.getAuthorizations(order.authorizationIds);
    const status = orderStatus(order, authorizations, context.now());
    if (status !== 'ready') throw acmeError.orderNotReady(`the order is ${status}, not ready`);
    const csr = await readCsr(payload.csr);
    const profile = CERTIFICATE_PROFILES[order.kind];
    // Wire device certificates come from their own, name-constrained intermediate.
    const ca = order.kind === 'wire' ? context.wire?.ca : context.ca;
    if (ca === undefined) throw acmeError.serverInternal('Wire certificates are not issued here');
    const finalizeContext = { identifiers: order.identifiers, accountThumbprint: account.thumbprint };
    profile.checkCsr(csr, finalizeContext);
    if (!(await context.leases.claimFinalization(order.id, context.replicaId, FINALIZATION_LEASE_MS))) {
      throw acmeError.orderNotReady('the order is already being finalized');
    }
    // §7.1.6 ready → processing; written while the certificate is being made
    // (commands on one connection apply in order, so the final state lands last).
    const processing = context.orders.saveOrder({ ...order, finalization: 'processing' });
    processing.catch(() => {});
    let finished: OrderRecord;
    try {
      const now = context.now();
      const notBefore = order.notBefore ?? now;
      const notAfter = order.notAfter ?? notBefore + context.policy.certificateValidityMs;
      const issued = await ca.issue({
        template: profile.template(csr, finalizeContext),
        spki: csr.key.spki,
        notBefore: new Date(notBefore),
        notAfter: new Date(notAfter),
      });
      const certificate: CertificateRecord = {
        id: randomBytes(12).toString('base64url'),
        accountId: account.id,
        orderId: order.id,
        serial: issued.serial,
        der: Buffer.from(issued.der).toString('base64'),
        identifiers: order.identifiers,
        notBefore,
        notAfter,
        issuedAt: now,
      };
      await Promise.all([context.certificates.save(certificate), processing]);
      finished = { ...order, finalization: 'valid', certificateId: certificate.id };
    } catch (error) {
      context.logger.error({ err: error, orderId: order.id }, 'certificate issuance failed');
      finished = { ...order, finalization: 'invalid', error: { type: 'serverInternal', detail: 'the certificate could not be issued' } };
    }
    await processing.catch(() => undefined);
    await context.orders.saveOrder(finished);
    await sendAcme(res, 200, orderObject(finished, authorizations, context.now(), context.urls), { location: context.urls.order(order.id) });
  };
}
