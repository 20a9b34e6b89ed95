/**
 * Every URL of the ACME resources (RFC 8555 §7.1), built from `PUBLIC_URL`,
 * and the express paths they are served at. The `url` header check (§6.4)
 * compares against `base + path`, so the two always agree.
 */
export const ACME_PATHS = {
  directory: '/directory',
  newNonce: '/acme/new-nonce',
  newAccount: '/acme/new-account',
  newOrder: '/acme/new-order',
  revokeCert: '/acme/revoke-cert',
  keyChange: '/acme/key-change',
  account: '/acme/acct/:accountId',
  accountOrders: '/acme/acct/:accountId/orders',
  order: '/acme/order/:orderId',
  finalize: '/acme/order/:orderId/finalize',
  authorization: '/acme/authz/:authorizationId',
  challenge: '/acme/chall/:authorizationId/:challengeId',
  certificate: '/acme/cert/:certificateId',
  crl: '/crl',
  rootCertificate: '/ca/root',
  intermediateCertificate: '/ca/intermediate',
  terms: '/terms',
} as const;

export class AcmeUrls {
  readonly directory: string;
  readonly newNonce: string;
  readonly newAccount: string;
  readonly newOrder: string;
  readonly revokeCert: string;
  readonly keyChange: string;
  readonly crl: string;
  readonly rootCertificate: string;
  readonly intermediateCertificate: string;
  readonly terms: string;
  readonly #accountPrefix: string;

  constructor(readonly base: string) {
    this.directory = base + ACME_PATHS.directory;
    this.newNonce = base + ACME_PATHS.newNonce;
    this.newAccount = base + ACME_PATHS.newAccount;
    this.newOrder = base + ACME_PATHS.newOrder;
    this.revokeCert = base + ACME_PATHS.revokeCert;
    this.keyChange = base + ACME_PATHS.keyChange;
    this.crl = base + ACME_PATHS.crl;
    this.rootCertificate = base + ACME_PATHS.rootCertificate;
    this.intermediateCertificate = base + ACME_PATHS.intermediateCertificate;
    this.terms = base + ACME_PATHS.terms;
    this.#accountPrefix = `${base}/acme/acct/`;
  }

  account(id: string): string {
    return this.#accountPrefix + id;
  }

  accountOrders(id: string): string {
    return `${this.account(id)}/orders`;
  }

  order(id: string): string {
    return `${this.base}/acme/order/${id}`;
  }

  finalize(orderId: string): string {
    return `${this.order(orderId)}/finalize`;
  }

  authorization(id: string): string {
    return `${this.base}/acme/authz/${id}`;
  }

  challenge(authorizationId: string, challengeId: string): string {
    return `${this.base}/acme/chall/${authorizationId}/${challengeId}`;
  }

  certificate(id: string): string {
    return `${this.base}/acme/cert/${id}`;
  }

  /** The account id a `kid` names, or null when it is not one of this server's account URLs. */
  accountIdOf(kid: string): string | null {
    if (!kid.startsWith(this.#accountPrefix)) return null;
    const id = kid.slice(this.#accountPrefix.length);
    return /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : null;
  }
}
