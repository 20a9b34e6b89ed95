import type { Store } from '@sigil/store';
import type { CertificateRecord } from '../domain/state/records.js';
import { readRecord, readRecords, writeRecord } from './json-records.js';
import { storeKeys } from './store-keys.js';

/** Issued certificates (durable), their serial index, and the set of revoked ones. */
export class CertificateStore {
  constructor(private readonly store: Store) {}

  get(id: string): Promise<CertificateRecord | null> {
    return readRecord<CertificateRecord>(this.store, storeKeys.certificate(id));
  }

  async bySerial(serial: string): Promise<CertificateRecord | null> {
    const id = await this.store.get(storeKeys.certificateBySerial(serial));
    return id === null ? null : this.get(id);
  }

  async save(certificate: CertificateRecord): Promise<void> {
    await Promise.all([
      writeRecord(this.store, storeKeys.certificate(certificate.id), certificate),
      this.store.set(storeKeys.certificateBySerial(certificate.serial), certificate.id),
    ]);
  }

  /** Takes the revocation of one serial; false when another request holds it. */
  claimRevocation(serial: string): Promise<boolean> {
    return this.store.create(storeKeys.revocationLease(serial), '1', 60_000);
  }

  async markRevoked(certificate: CertificateRecord): Promise<void> {
    await writeRecord(this.store, storeKeys.certificate(certificate.id), certificate);
    await this.store.addToSet(storeKeys.revokedCertificates(), certificate.id);
  }

  async revoked(): Promise<CertificateRecord[]> {
    const ids = await this.store.members(storeKeys.revokedCertificates());
    const records = await readRecords<CertificateRecord>(this.store, ids.map(storeKeys.certificate));
    return records.filter((record): record is CertificateRecord => record?.revocation !== undefined);
  }

  async revokedCount(): Promise<number> {
    return (await this.store.members(storeKeys.revokedCertificates())).length;
  }
}
