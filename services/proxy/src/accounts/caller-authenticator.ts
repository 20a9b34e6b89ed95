import type { TraceContext } from '@sigil/service-kit';
import type { Account } from '../domain/account.js';
import { appPasswordHash, looksLikeAppPassword } from '../domain/app-password.js';
import { readCredentials } from '../domain/credentials.js';
import type { Identity } from '../domain/identity.js';
import type { BearerIdentities } from '../oidc/bearer-identities.js';
import { AuthenticationRequired } from '../problems.js';
import type { AccountStore } from '../store/account-store.js';
import type { AppPasswordStore } from '../store/app-password-store.js';
import { accountDisabled } from './account-resolver.js';

/** Who is calling: an OIDC identity (bearer token), or an account (app password). */
export type Caller =
  | { readonly kind: 'bearer'; readonly identity: Identity; readonly authorization: string }
  | { readonly kind: 'app-password'; readonly account: Account };

const badAppPassword = () => new AuthenticationRequired('app-password-invalid', 'The username or app password is wrong');

/**
 * The "who is calling" step: `Authorization: Bearer` goes to the IdP (through
 * the identity cache); `Authorization: Basic` is a username and an app
 * password, looked up by the password's hash and checked against the
 * account it belongs to. No credentials, or unusable ones: 401.
 */
export class CallerAuthenticator {
  constructor(
    readonly identities: BearerIdentities,
    readonly appPasswords: AppPasswordStore,
    readonly accounts: AccountStore,
  ) {}

  /** The caller of a request (its `Authorization` header), within the request's `trace`. */
  async authenticate(authorization: string | undefined, trace: TraceContext): Promise<Caller> {
    const credentials = readCredentials(authorization);
    if (credentials === undefined) throw new AuthenticationRequired('credentials-required', 'A bearer token or an app password is required');
    if (credentials === 'malformed') {
      throw new AuthenticationRequired('credentials-malformed', 'The Authorization header is malformed', {
        code: 'invalid_request',
        description: 'The Authorization header is malformed',
      });
    }
    if (credentials.scheme === 'bearer') {
      return { kind: 'bearer', identity: await this.identities.resolve(credentials.token, trace), authorization: authorization! };
    }
    if (!looksLikeAppPassword(credentials.password)) throw badAppPassword();
    const record = await this.appPasswords.findByHash(appPasswordHash(credentials.password));
    const account = record && (await this.accounts.findByUuid(record.accountUuid));
    if (!account || (credentials.username !== account.username && credentials.username !== account.uuid)) throw badAppPassword();
    if (!account.enabled) throw accountDisabled();
    return { kind: 'app-password', account };
  }
}
