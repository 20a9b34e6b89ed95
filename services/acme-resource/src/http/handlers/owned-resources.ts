import { acmeError } from '../../acme/acme-problem.js';
import type { AccountRecord, AuthorizationRecord, CertificateRecord, OrderRecord } from '../../domain/state/records.js';
import type { AcmeContext } from '../acme-context.js';

/**
 * Resources are read by their owner only: another account's order,
 * authorization or certificate is `unauthorized` (RFC 8555 §6.2: the server
 * checks that the account may act on the resource); an unknown one is 404.
 */
export async function ownedOrder(context: AcmeContext, id: string, account: AccountRecord): Promise<OrderRecord> {
  const order = await context.orders.getOrder(id);
  if (!order) throw acmeError.malformed('no such order', { status: 404 });
  if (order.accountId !== account.id) throw acmeError.unauthorized('the order belongs to another account');
  return order;
}

export async function ownedAuthorization(context: AcmeContext, id: string, account: AccountRecord): Promise<AuthorizationRecord> {
  const authz = await context.orders.getAuthorization(id);
  if (!authz) throw acmeError.malformed('no such authorization', { status: 404 });
  if (authz.accountId !== account.id) throw acmeError.unauthorized('the authorization belongs to another account');
  return authz;
}

export async function ownedCertificate(context: AcmeContext, id: string, account: AccountRecord): Promise<CertificateRecord> {
  const certificate = await context.certificates.get(id);
  if (!certificate) throw acmeError.malformed('no such certificate', { status: 404 });
  if (certificate.accountId !== account.id) throw acmeError.unauthorized('the certificate belongs to another account');
  return certificate;
}

/** Route parameters are ids this server made: anything else cannot name a resource. */
export function idParam(value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(value)) throw acmeError.malformed('no such resource', { status: 404 });
  return value;
}
