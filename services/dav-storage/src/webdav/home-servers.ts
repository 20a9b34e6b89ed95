import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { v2 as webdav } from 'webdav-server';
import { accountAuthentication } from './account-authentication.js';
import './dav-href.js';
import { LockPrincipals } from './lock-principals.js';
import { SnapshotFileSystem } from './snapshot-file-system.js';

/** Account UUIDs as the proxy mints them (RFC 9562 text form); anything else never names a folder. */
const ACCOUNT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The library's server for one home, and who holds its locks. */
export interface HomeServer {
  readonly server: webdav.WebDAVServer;
  readonly locks: LockPrincipals;
  /** The home folder on disk. */
  readonly folder: string;
  /** Set once a PROPPATCH reached the library: from then on the home may hold dead properties, which only the library knows. */
  propertiesWritten: boolean;
}

/** How many homes keep a library server (and their locks and dead properties) in memory at once. */
const DEFAULT_MAX_OPEN_HOMES = 1024;

/**
 * One WebDAV server of the library per home folder, rooted at that folder:
 * the library then has no name for anything outside it, whatever path or
 * `Destination` it is given, and locks of one user can never touch another's
 * files. The least recently used are dropped past a bound (their locks go
 * with them, as they would on a restart).
 */
export class HomeServers {
  readonly #homesDir: string;
  readonly #maxOpen: number;
  readonly #servers = new Map<string, HomeServer>();

  constructor(dataDir: string, maxOpen = DEFAULT_MAX_OPEN_HOMES) {
    this.#homesDir = join(dataDir, 'homes');
    this.#maxOpen = maxOpen;
  }

  /** The server of one account's home, creating the folder on first use. */
  async serverFor(accountId: string, username: string): Promise<HomeServer> {
    if (!ACCOUNT_ID.test(accountId)) throw new TypeError('an account id is a lower-case UUID');
    const open = this.#servers.get(accountId);
    if (open) {
      this.#servers.delete(accountId);
      this.#servers.set(accountId, open);
      return open;
    }
    const folder = join(this.#homesDir, accountId);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    // Two first requests may both get here: keep whichever was stored first.
    const raced = this.#servers.get(accountId);
    if (raced) return raced;
    const server = new webdav.WebDAVServer({
      rootFileSystem: new SnapshotFileSystem(folder),
      httpAuthentication: accountAuthentication(username),
      requireAuthentification: false,
      // hrefs as absolute paths: the proxy in front serves them under its own origin.
      respondWithPaths: true,
      // PROPFIND Depth: infinity on a large tree is refused (RFC 4918 §9.1: 403 propfind-finite-depth).
      maxRequestDepth: 1,
      serverName: 'dav-storage',
    });
    const home: HomeServer = { server, locks: new LockPrincipals(accountId), folder, propertiesWritten: false };
    this.#servers.set(accountId, home);
    if (this.#servers.size > this.#maxOpen) this.#servers.delete(this.#servers.keys().next().value!);
    return home;
  }
}
