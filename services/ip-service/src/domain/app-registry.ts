import type { ControllerKey } from './controller-key.js';
import { UpError } from './up-error.js';

/** One app this service signs for, as the apps file describes it. */
export interface AppRegistration {
  /** The app's Universal Profile, EIP-55 checksummed. */
  readonly appERC725Address: string;
  readonly controller: ControllerKey;
  /** The audiences a token for this app may name. */
  readonly audiences: readonly string[];
  /** The Ethereum JSON-RPC endpoint of the chain the app's users' profiles live on. */
  readonly rpcUrl: string;
  readonly chainId: number;
  readonly tokenTtlSeconds: number;
  readonly refreshTtlSeconds: number;
}

/** The apps, found by address in any case. */
export class AppRegistry {
  readonly #apps: ReadonlyMap<string, AppRegistration>;

  constructor(apps: readonly AppRegistration[]) {
    this.#apps = new Map(apps.map((app) => [app.appERC725Address.toLowerCase(), app]));
  }

  get apps(): AppRegistration[] {
    return [...this.#apps.values()];
  }

  find(address: string): AppRegistration | undefined {
    return this.#apps.get(address.toLowerCase());
  }

  /** The app at `address`; `unknown-app` (400, naming `field`) otherwise. */
  require(address: string, field = 'appERC725Address'): AppRegistration {
    const app = this.find(address);
    if (!app) throw new UpError('unknown-app', `${field} names no app this service signs for`, field);
    return app;
  }

  /** The chains the apps' users live on, each once. */
  get chainIds(): number[] {
    return [...new Set(this.apps.map((app) => app.chainId))];
  }

  /** The longest token lifetime of any app: how long a retired signing key stays published. */
  get longestTokenTtlSeconds(): number {
    return Math.max(60, ...this.apps.map((app) => app.tokenTtlSeconds));
  }

  /** Every audience is among the app's (RFC 7519 §4.1.3: the token must only name audiences that accept it). */
  requireAllowedAudiences(app: AppRegistration, audiences: readonly string[]): void {
    const allowed = new Set(app.audiences);
    const refused = audiences.filter((audience) => !allowed.has(audience));
    if (refused.length > 0) {
      throw new UpError('audience-not-allowed', `audiences not allowed for this app: ${refused.join(', ')}`, 'audiences');
    }
  }
}
