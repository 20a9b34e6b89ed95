import type { CertificateRecord } from '../domain/state/records.js';
import type { CertificateStore } from '../store/certificate-store.js';
import type { CrlStore, StoredCrl } from '../store/crl-store.js';
import type { CertificateAuthority } from './certificate-authority.js';
import { buildCrl } from './crl-builder.js';

export interface CrlPublisherOptions {
  /** The intermediate that signs this CRL. */
  readonly ca: CertificateAuthority;
  /** Whether a revoked certificate is one this intermediate issued (and so belongs on its CRL). */
  readonly lists: (certificate: CertificateRecord) => boolean;
  readonly certificates: CertificateStore;
  readonly crls: CrlStore;
  /** nextUpdate − thisUpdate. */
  readonly lifetimeMs: number;
  readonly now: () => number;
}

/**
 * Keeps one intermediate's published CRL current: it is rebuilt after every
 * revocation of a certificate it issued, when it was built from fewer
 * revoked certificates than there are now (two replicas revoking at once),
 * and once half its lifetime has passed, well before nextUpdate (RFC 5280
 * §5.1.2.5). Each intermediate's CRL lists only what that intermediate
 * issued: a relying party looks for a certificate on its issuer's CRL.
 */
export class CrlPublisher {
  #building: Promise<StoredCrl> | undefined;

  constructor(private readonly options: CrlPublisherOptions) {}

  /** The CRL to serve now, rebuilt first when stale. */
  async current(): Promise<StoredCrl> {
    const [crl, revokedCount] = await Promise.all([this.options.crls.current(), this.options.certificates.revokedCount()]);
    if (crl && !this.stale(crl, revokedCount)) return crl;
    return this.rebuild();
  }

  /**
   * Builds and publishes a CRL from the revoked set; concurrent calls on one
   * replica share one build. `afterChange`: a revocation was just recorded,
   * so a build already under way (which may have read the set before it) is
   * followed by a new one.
   */
  async rebuild(afterChange = false): Promise<StoredCrl> {
    if (afterChange && this.#building) await this.#building.catch(() => undefined);
    this.#building ??= this.build().finally(() => {
      this.#building = undefined;
    });
    return this.#building;
  }

  private async build(): Promise<StoredCrl> {
    const revoked = await this.options.certificates.revoked();
    const built = await buildCrl(this.options.ca, revoked.filter(this.options.lists), this.options.now(), this.options.lifetimeMs);
    const stored: StoredCrl = {
      der: Buffer.from(built.der).toString('base64'),
      thisUpdate: built.thisUpdate,
      nextUpdate: built.nextUpdate,
      entries: revoked.length,
      number: built.number,
    };
    await this.options.crls.publish(stored);
    return stored;
  }

  private stale(crl: StoredCrl, revokedCount: number): boolean {
    const refreshAt = crl.thisUpdate + (crl.nextUpdate - crl.thisUpdate) / 2;
    return crl.entries < revokedCount || this.options.now() >= refreshAt;
  }
}
