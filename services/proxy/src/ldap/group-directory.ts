import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { AndFilter, Client, EqualityFilter, OrFilter, type Entry } from 'ldapts';
import { ldapUnavailable } from '../problems.js';

export interface GroupDirectorySettings {
  readonly url: string;
  readonly startTls: boolean;
  readonly caFile: string | undefined;
  readonly bindDn: string;
  readonly bindPassword: string;
  readonly userBaseDn: string;
  readonly loginAttribute: string;
  readonly groupBaseDn: string;
  readonly timeoutMs: number;
}

/** A user as the directory knows them: found or not, and the groups they are a member of. */
export interface DirectoryMembership {
  readonly found: boolean;
  readonly groupDns: readonly string[];
  /** The groups' `cn`, for the account's `groups`. */
  readonly groupNames: readonly string[];
}

function first(entry: Entry, attribute: string): string | undefined {
  const value = entry[attribute];
  const item = Array.isArray(value) ? value[0] : value;
  return item === undefined ? undefined : item.toString();
}

/**
 * The corporate directory, asked one question: which groups is this user a
 * member of. Group schemas understood: `groupOfNames` (`member`: user DN),
 * `groupOfUniqueNames` (`uniqueMember`: user DN) and `posixGroup`
 * (`memberUid`: the user's login); nested groups and the `memberOf` overlay
 * are not used. Each question opens one connection (StartTLS when asked,
 * RFC 4513 §3), binds as the service account, searches, and unbinds:
 * provisioning is rare, and no connection state can go stale.
 */
export class GroupDirectory {
  readonly #settings: GroupDirectorySettings;
  readonly #tls: ConnectionOptions;

  constructor(settings: GroupDirectorySettings) {
    this.#settings = settings;
    this.#tls = settings.caFile ? { ca: readFileSync(settings.caFile) } : {};
  }

  async membership(login: string): Promise<DirectoryMembership> {
    const s = this.#settings;
    // TLS options given to the client mean LDAPS from the first byte; for StartTLS they go to startTLS only.
    const ldaps = s.url.startsWith('ldaps:');
    const client = new Client({ url: s.url, timeout: s.timeoutMs, connectTimeout: s.timeoutMs, ...(ldaps ? { tlsOptions: this.#tls } : {}) });
    try {
      // The certificate is checked against the host named in the URL (node would otherwise check `localhost`).
      if (s.startTls) await client.startTLS({ ...this.#tls, host: new URL(s.url).hostname });
      await client.bind(s.bindDn, s.bindPassword);
      // Filters are built as objects, so a login holding `*`, `(` or `\` is matched literally (RFC 4515 §3).
      const users = await client.search(s.userBaseDn, {
        scope: 'sub',
        filter: new EqualityFilter({ attribute: s.loginAttribute, value: login }),
        attributes: ['dn'],
        sizeLimit: 2,
      });
      if (users.searchEntries.length !== 1) return { found: false, groupDns: [], groupNames: [] };
      const userDn = users.searchEntries[0]!.dn;
      const groups = await client.search(s.groupBaseDn, {
        scope: 'sub',
        filter: new AndFilter({
          filters: [
            new OrFilter({
              filters: [
                new EqualityFilter({ attribute: 'objectClass', value: 'groupOfNames' }),
                new EqualityFilter({ attribute: 'objectClass', value: 'groupOfUniqueNames' }),
                new EqualityFilter({ attribute: 'objectClass', value: 'posixGroup' }),
              ],
            }),
            new OrFilter({
              filters: [
                new EqualityFilter({ attribute: 'member', value: userDn }),
                new EqualityFilter({ attribute: 'uniqueMember', value: userDn }),
                new EqualityFilter({ attribute: 'memberUid', value: login }),
              ],
            }),
          ],
        }),
        attributes: ['cn'],
      });
      return {
        found: true,
        groupDns: groups.searchEntries.map((entry) => entry.dn),
        groupNames: groups.searchEntries.map((entry) => first(entry, 'cn')).filter((name): name is string => name !== undefined),
      };
    } catch (error) {
      throw ldapUnavailable(error);
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }
}
