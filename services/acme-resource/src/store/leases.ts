import type { Store } from '@sigil/store';
import { storeKeys } from './store-keys.js';

/**
 * Short exclusive claims between replicas (SET NX PX): the replica holding
 * one does the work, the others do not start it. A lease expires on its own,
 * so a replica that dies mid-work frees it.
 */
export class Leases {
  constructor(private readonly store: Store) {}

  claimValidation(authorizationId: string, holder: string, ttlMs: number): Promise<boolean> {
    return this.store.create(storeKeys.validationLease(authorizationId), holder, ttlMs);
  }

  async validationHeld(authorizationId: string): Promise<boolean> {
    return (await this.store.get(storeKeys.validationLease(authorizationId))) !== null;
  }

  releaseValidation(authorizationId: string): Promise<boolean> {
    return this.store.delete(storeKeys.validationLease(authorizationId));
  }

  claimFinalization(orderId: string, holder: string, ttlMs: number): Promise<boolean> {
    return this.store.create(storeKeys.finalizationLease(orderId), holder, ttlMs);
  }
}
