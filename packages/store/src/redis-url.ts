import { StoreConfigError } from './store-errors.js';

export interface RedisHost {
  host: string;
  port: number;
}

/**
 * Where and how to reach Redis, read from `REDIS_URL`:
 *
 * - `redis://[user:password@]host[:port][/db]`, `rediss://…` for TLS;
 * - `redis+sentinel://[user:password@]host:port,host:port/masterName[?db=N&sentinelPassword=…]`:
 *   `hosts` are the sentinels, the credentials are the master's;
 * - `redis+cluster://[user:password@]host:port,host:port`: `hosts` are seed nodes.
 */
export interface RedisTarget {
  mode: 'standalone' | 'sentinel' | 'cluster';
  hosts: RedisHost[];
  tls: boolean;
  username?: string;
  password?: string;
  db?: number;
  /** Sentinel mode: the name the sentinels monitor the master under. */
  masterName?: string;
  /** Sentinel mode: the sentinels' own password, when they require one. */
  sentinelPassword?: string;
}

const SCHEMES: Record<string, { mode: RedisTarget['mode']; tls: boolean; defaultPort: number }> = {
  redis: { mode: 'standalone', tls: false, defaultPort: 6379 },
  rediss: { mode: 'standalone', tls: true, defaultPort: 6379 },
  'redis+sentinel': { mode: 'sentinel', tls: false, defaultPort: 26379 },
  'redis+cluster': { mode: 'cluster', tls: false, defaultPort: 6379 },
};

// scheme://[userinfo@]hosts[/path][?query]. WHATWG URL cannot hold a host list,
// so the parts are split here and each is validated below.
const URL_PARTS = /^([a-z+]+):\/\/(?:([^@/?#]*)@)?([^/?#]*)(?:\/([^?#]*))?(?:\?([^#]*))?$/i;
const HOST_PORT = /^(?:\[([0-9a-f:.]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/i;

/**
 * Parses a Redis URL into connection settings. Throws `StoreConfigError` on
 * anything it cannot honour (unknown scheme or parameter, bad port); the
 * message never repeats the URL, which may carry a password.
 */
export function parseRedisUrl(url: string): RedisTarget {
  const parts = URL_PARTS.exec(url.trim());
  if (parts === null) throw invalid('not of the form scheme://host[:port][/path][?query]');
  const [, rawScheme = '', userinfo, hostList = '', rawPath, rawQuery] = parts;
  const scheme = SCHEMES[rawScheme.toLowerCase()];
  if (scheme === undefined) {
    throw invalid(`unsupported scheme "${rawScheme}" (use ${Object.keys(SCHEMES).join(', ')})`);
  }

  const target: RedisTarget = { mode: scheme.mode, tls: scheme.tls, hosts: parseHosts(hostList, scheme.defaultPort) };
  if (scheme.mode === 'standalone' && target.hosts.length > 1) {
    throw invalid('several hosts need redis+sentinel:// or redis+cluster://');
  }
  if (userinfo) Object.assign(target, parseUserinfo(userinfo));

  const query = new URLSearchParams(rawQuery ?? '');
  const path = decode(rawPath ?? '');
  for (const name of query.keys()) {
    const allowed = name === 'db' || (name === 'sentinelPassword' && scheme.mode === 'sentinel');
    if (!allowed) throw invalid(`unsupported parameter "${name}"`);
  }

  switch (scheme.mode) {
    case 'standalone': {
      if (path !== '' && query.has('db')) throw invalid('database given both as path and as ?db=');
      const db = path !== '' ? path : query.get('db');
      if (db !== null) target.db = parseDb(db);
      break;
    }
    case 'sentinel': {
      if (path === '') throw invalid('the master name is missing (redis+sentinel://host:port/masterName)');
      target.masterName = path;
      const db = query.get('db');
      if (db !== null) target.db = parseDb(db);
      const sentinelPassword = query.get('sentinelPassword');
      if (sentinelPassword !== null) target.sentinelPassword = sentinelPassword;
      break;
    }
    case 'cluster': {
      // Redis Cluster serves database 0 only.
      if (path !== '' || query.has('db')) throw invalid('Redis Cluster has no databases besides 0');
      break;
    }
  }
  return target;
}

function parseHosts(list: string, defaultPort: number): RedisHost[] {
  if (list === '') throw invalid('no host');
  return list.split(',').map((item) => {
    const match = HOST_PORT.exec(item);
    if (match === null) throw invalid(`bad host "${item}"`);
    const port = match[3] === undefined ? defaultPort : Number(match[3]);
    if (port < 1 || port > 65_535) throw invalid(`bad port in "${item}"`);
    return { host: match[1] ?? decode(match[2] ?? ''), port };
  });
}

function parseUserinfo(userinfo: string): Pick<RedisTarget, 'username' | 'password'> {
  const colon = userinfo.indexOf(':');
  // As ioredis and node-redis read it: `name@` is a user name, `:secret@` a password alone.
  if (colon === -1) return userinfo === '' ? {} : { username: decode(userinfo) };
  const username = decode(userinfo.slice(0, colon));
  const password = decode(userinfo.slice(colon + 1));
  return { ...(username !== '' && { username }), ...(password !== '' && { password }) };
}

function parseDb(text: string): number {
  if (!/^\d{1,5}$/.test(text)) throw invalid('the database must be a small non-negative integer');
  return Number(text);
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalid('bad percent-encoding');
  }
}

function invalid(reason: string): StoreConfigError {
  return new StoreConfigError(`REDIS_URL is invalid: ${reason}`);
}
