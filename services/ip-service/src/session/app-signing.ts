import type { Clock } from '@sigil/tokens';
import type { AppRegistry } from '../domain/app-registry.js';
import { appMessageDigest } from '../domain/signed-digests.js';
import type { SignRequest } from '../domain/sign-request.js';
import type { SignRecords } from '../store/sign-records.js';

/** The seed's `/up/sign` answer. */
export interface SignResponse {
  readonly appERC725Address: string;
  readonly controllerKeyOfApp: string;
  readonly message: string;
  /** r || s || v, 0x-prefixed hex. */
  readonly signature: string;
  readonly signaturePrefix: boolean;
}

export interface AppSigningOptions {
  readonly apps: AppRegistry;
  readonly records: SignRecords;
  readonly recordTtlMs: number;
  readonly clock: Clock;
}

/** Step 1 of the seed's flow: sign the client's message M with the app's controller key, and remember it. */
export class AppSigning {
  constructor(private readonly options: AppSigningOptions) {}

  async sign(request: SignRequest): Promise<SignResponse> {
    const { apps, records, recordTtlMs, clock } = this.options;
    const app = apps.require(request.appERC725Address);
    const signature = await app.controller.signDigest(appMessageDigest(request.messageBytes, request.signaturePrefix));
    const record = {
      app: app.appERC725Address,
      message: request.message,
      signaturePrefix: request.signaturePrefix,
      expiresAt: clock() + recordTtlMs,
    };
    await records.remember(signature, record, recordTtlMs);
    return {
      appERC725Address: app.appERC725Address,
      controllerKeyOfApp: app.controller.address,
      message: request.message,
      signature: `0x${Buffer.from(signature).toString('hex')}`,
      signaturePrefix: request.signaturePrefix,
    };
  }
}
