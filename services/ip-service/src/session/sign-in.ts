import { recoverAddress, Secp256k1SignatureError } from '@sigil/crypto';
import type { Clock } from '@sigil/tokens';
import type { SignPermissionCheck } from '../chain/sign-permission.js';
import type { AppRegistration, AppRegistry } from '../domain/app-registry.js';
import { clientDigest } from '../domain/signed-digests.js';
import type { TokenSubject } from '../domain/token-claims.js';
import type { TokenRequest } from '../domain/token-request.js';
import { invalidField, UpError } from '../domain/up-error.js';
import { PermissionCache } from '../store/permission-cache.js';
import type { SignRecord, SignRecords } from '../store/sign-records.js';
import type { TokenIssuer, TokenResponse } from './token-issuer.js';

export interface SignInOptions {
  readonly apps: AppRegistry;
  readonly records: SignRecords;
  readonly recordTtlMs: number;
  readonly signPermission: SignPermissionCheck;
  readonly issuer: TokenIssuer;
  readonly clock: Clock;
}

/** What one read of the store tells a sign-in. */
interface SignInState {
  readonly record: SignRecord;
  /** The cached SIGN answer for the profile and key on each app chain (undefined: not cached). */
  readonly cachedPermission: ReadonlyMap<number, boolean | undefined>;
}

/**
 * Step 2 of the seed's flow, as an ordered list of checks. The app signature
 * is used up (SET NX on its used mark) only once every check has passed, so
 * a refused request changes nothing, and of two replicas racing with the
 * same signature exactly one wins.
 */
export class SignIn {
  constructor(private readonly options: SignInOptions) {}

  async exchange(request: TokenRequest): Promise<TokenResponse> {
    const { apps, recordTtlMs, issuer } = this.options;
    const controllerKey = recoverClientKey(request);
    const { record, cachedPermission } = await this.#read(request, controllerKey);
    const app = apps.require(record.app, 'originalAppSignature');
    apps.requireAllowedAudiences(app, request.audiences);
    const subject: TokenSubject = { controllerKey, erc725Address: request.userERC725Address ?? '' };
    if (request.userERC725Address !== undefined) {
      await this.#requireSignPermission(app, request.userERC725Address, controllerKey, cachedPermission.get(app.chainId));
    }
    // The used mark and the issuance run side by side: a request that loses
    // the mark gets nothing, and what was stored for it (a refresh grant whose
    // token nobody ever sees) expires unused.
    const [won, response] = await Promise.all([
      this.options.records.markUsed(request.originalAppSignature, recordTtlMs),
      issuer.issue(app, subject, request.audiences),
    ]);
    if (!won) throw replayed();
    return response;
  }

  /**
   * One round trip: the record of our own signature (made by this service,
   * unexpired, unused, over this very message) and, for a profile, the
   * cached permission answers on every app chain.
   */
  async #read(request: TokenRequest, controllerKey: string): Promise<SignInState> {
    const { apps, records, clock } = this.options;
    const profile = request.userERC725Address;
    const chainIds = profile === undefined ? [] : apps.chainIds;
    const permissionKeys = chainIds.map((chainId) => PermissionCache.key(chainId, profile!, controllerKey));
    const { record, used, also } = await records.lookup(request.originalAppSignature, permissionKeys);
    if (used) throw replayed();
    if (record === undefined || record.expiresAt <= clock()) {
      throw new UpError('app-signature-unknown', 'originalAppSignature was not issued by /up/sign, or has expired', 'originalAppSignature');
    }
    if (record.message !== request.message) {
      throw new UpError('message-mismatch', 'message is not the message originalAppSignature signs', 'message');
    }
    return { record, cachedPermission: new Map(chainIds.map((chainId, index) => [chainId, PermissionCache.decode(also[index])])) };
  }

  async #requireSignPermission(app: AppRegistration, profile: string, key: string, cached: boolean | undefined): Promise<void> {
    if (!(await this.options.signPermission.allows(app, profile, key, { cached }))) {
      throw new UpError('permission-denied', `${key} does not hold the SIGN permission on ${profile}`, 'signature');
    }
  }
}

function replayed(): UpError {
  return new UpError('app-signature-replayed', 'originalAppSignature has already been exchanged for a token', 'originalAppSignature');
}

/** The client's key: recovered natively (libsecp256k1) from its signature over the seed's digest. */
function recoverClientKey(request: TokenRequest): string {
  try {
    return recoverAddress(clientDigest(request.originalAppSignature, request.signaturePrefix), request.signature);
  } catch (error) {
    if (error instanceof Secp256k1SignatureError) throw invalidField('signature', `does not recover a key (${error.code})`);
    throw error;
  }
}
