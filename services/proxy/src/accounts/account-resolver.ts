import { randomUUID } from 'node:crypto';
import type { TraceContext } from '@sigil/service-kit';
import { setTimeout as sleep } from 'node:timers/promises';
import { newAccount, type Account } from '../domain/account.js';
import { memberOfAllowedGroup } from '../domain/group-policy.js';
import { subjectKey, type Identity } from '../domain/identity.js';
import { legacyUserExists } from '../forward/legacy-backend.js';
import type { GroupDirectory } from '../ldap/group-directory.js';
import { AuthenticationRequired, notAllowed, provisioningBusy, provisioningOff } from '../problems.js';
import type { AccountStore } from '../store/account-store.js';
import type { LegacyUserCache } from '../store/legacy-user-cache.js';

/** Where a request goes once its caller is known: their account, or the legacy backend. */
export type Destination = { readonly kind: 'account'; readonly account: Account } | { readonly kind: 'legacy' };

export interface AccountResolverOptions {
  readonly accounts: AccountStore;
  readonly provisioning: 'off' | 'ldap-groups' | 'open';
  readonly directory: { readonly groups: GroupDirectory; readonly allowedGroups: readonly string[]; readonly loginClaim: string } | undefined;
  readonly legacy: { readonly url: string; readonly cache: LegacyUserCache; readonly cacheTtlMs: number; readonly timeoutMs: number } | undefined;
}

/** How long the provisioning claim is held: more than an LDAP round trip ever takes. */
const CLAIM_TTL_MS = 30_000;
/** How long a refusal is remembered, so a burst of first requests asks LDAP once. */
const REFUSAL_TTL_MS = 5_000;
/** How long a request waits for another replica to finish provisioning the same user. */
const WAIT_FOR_PROVISIONING_MS = 10_000;
const POLL_MS = 20;

export const accountDisabled = () => new AuthenticationRequired('account-disabled', 'The account is disabled');

/**
 * The account step of the request flow: `sub@iss` → account. Found and
 * enabled: continue; disabled: 401. Not found: ask the legacy backend when
 * one is configured (and send the caller there if it knows them); otherwise
 * provision a new account when provisioning is on and the group policy
 * allows the user (403 if not). Concurrent first requests of one user create
 * one account: within a process they share one attempt, across replicas one
 * of them takes the claim in the store and the others wait for its result.
 */
export class AccountResolver {
  readonly #options: AccountResolverOptions;
  readonly #pending = new Map<string, Promise<Account>>();

  constructor(options: AccountResolverOptions) {
    this.#options = options;
  }

  /** Where the caller's request goes; a question to the legacy backend is a child of `trace`'s span. */
  async resolve(identity: Identity, authorization: string, trace: TraceContext): Promise<Destination> {
    const subject = subjectKey(identity);
    const existing = await this.#options.accounts.find(subject);
    if (existing) return { kind: 'account', account: enabled(existing) };
    if (this.#options.legacy && (await this.#knownToLegacy(identity, subject, authorization, trace))) return { kind: 'legacy' };
    if (this.#options.provisioning === 'off') throw provisioningOff();
    let pending = this.#pending.get(subject);
    if (!pending) {
      pending = this.#provision(identity, subject).finally(() => this.#pending.delete(subject));
      this.#pending.set(subject, pending);
    }
    return { kind: 'account', account: enabled(await pending) };
  }

  async #knownToLegacy(identity: Identity, subject: string, authorization: string, trace: TraceContext): Promise<boolean> {
    const legacy = this.#options.legacy!;
    const cached = await legacy.cache.get(subject);
    if (cached !== undefined) return cached;
    const exists = await legacyUserExists(legacy.url, identity.username ?? identity.sub, authorization, legacy.timeoutMs, trace);
    await legacy.cache.put(subject, exists, legacy.cacheTtlMs);
    return exists;
  }

  async #provision(identity: Identity, subject: string): Promise<Account> {
    const { accounts } = this.#options;
    const deadline = Date.now() + WAIT_FOR_PROVISIONING_MS;
    for (;;) {
      const existing = await accounts.find(subject);
      if (existing) return existing;
      if (await accounts.claim(subject, CLAIM_TTL_MS)) return this.#create(identity, subject);
      if ((await accounts.claimState(subject)) === 'refused') throw notAllowed();
      if (Date.now() > deadline) throw provisioningBusy();
      await sleep(POLL_MS);
    }
  }

  /** Runs while holding the claim: decide, create, release. */
  async #create(identity: Identity, subject: string): Promise<Account> {
    const { accounts } = this.#options;
    let groups: readonly string[];
    try {
      groups = await this.#allowedGroups(identity);
    } catch (error) {
      if (error instanceof NotAllowedByPolicy) {
        await accounts.refuseClaim(subject, REFUSAL_TTL_MS);
        throw notAllowed();
      }
      await accounts.releaseClaim(subject);
      throw error;
    }
    const account = newAccount(identity, randomUUID(), groups, Date.now());
    await accounts.save(account);
    await accounts.releaseClaim(subject);
    return account;
  }

  /** The groups of an allowed user (the directory's when it decides, else the token's); NotAllowedByPolicy otherwise. */
  async #allowedGroups(identity: Identity): Promise<readonly string[]> {
    const directory = this.#options.directory;
    if (this.#options.provisioning !== 'ldap-groups' || !directory) return identity.groups;
    const login = identity.claims[directory.loginClaim];
    if (typeof login !== 'string' || login === '') throw new NotAllowedByPolicy();
    const membership = await directory.groups.membership(login);
    if (!membership.found || !memberOfAllowedGroup(membership.groupDns, directory.allowedGroups)) throw new NotAllowedByPolicy();
    return membership.groupNames;
  }
}

/** The group policy said no (answered 403 once the claim is marked refused). */
class NotAllowedByPolicy extends Error {}

function enabled(account: Account): Account {
  if (!account.enabled) throw accountDisabled();
  return account;
}
