/** The intermediates that publish a CRL. */
export type CrlIssuer = 'main' | 'wire';

/**
 * acme-resource's key layout, relative to the service prefix
 * (`sigil:acme-resource:`). Durable records (accounts, certificates and
 * their indexes) have no TTL; everything else expires.
 */
export const storeKeys = {
  /** The mark of a used nonce, by the SHA-256 of its value (never stored raw). */
  nonce: (nonceHash: string) => `nonce-used:${nonceHash}`,
  /** The MAC key nonces are issued under, shared by the replicas. */
  nonceKey: () => 'nonce-key',
  account: (id: string) => `account:${id}`,
  /** Account id by RFC 7638 thumbprint of its key. */
  accountByKey: (thumbprint: string) => `account-key:${thumbprint}`,
  accountOrders: (accountId: string) => `account-orders:${accountId}`,
  /** The account's authorizations still pending (the pending-authorization limit counts these). */
  accountPendingAuthorizations: (accountId: string) => `account-authz-pending:${accountId}`,
  /** The account's valid authorizations (revocation by an account that holds them, RFC 8555 §7.6). */
  accountValidAuthorizations: (accountId: string) => `account-authz-valid:${accountId}`,
  order: (id: string) => `order:${id}`,
  authorization: (id: string) => `authz:${id}`,
  certificate: (id: string) => `certificate:${id}`,
  /** Certificate id by canonical serial. */
  certificateBySerial: (serial: string) => `certificate-serial:${serial}`,
  revokedCertificates: () => 'revoked-certificates',
  /** The current CRL of an issuer: the main intermediate's keeps the key it always had. */
  crl: (issuer: CrlIssuer) => (issuer === 'main' ? 'crl' : `crl:${issuer}`),
  newOrderCount: (accountId: string) => `rate:new-orders:${accountId}`,
  /** Held by the replica validating a challenge. */
  validationLease: (authorizationId: string) => `lease:validation:${authorizationId}`,
  /** Held by the replica finalizing an order: of two replicas, one gets it. */
  finalizationLease: (orderId: string) => `lease:finalize:${orderId}`,
  revocationLease: (serial: string) => `lease:revoke:${serial}`,
} as const;
