/** One line of the route table: requests under `prefix` go to `upstream`. */
export interface Route {
  /** `/dav`: matches `/dav` and `/dav/…`, never `/davx`. `/` matches everything. */
  readonly prefix: string;
  /** Origin of the upstream (`http://127.0.0.1:4005`). */
  readonly origin: string;
  /** Path prepended to the request path upstream (no trailing slash; '' for none). */
  readonly basePath: string;
  /** `aud` of the internal token sent to it; undefined: the default audience. */
  readonly audience: string | undefined;
}

const PREFIX = /^\/([A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*)?$/;

function parseRoute(entry: string): Route {
  const eq = entry.indexOf('=');
  if (eq <= 0) throw new Error(`route "${entry}" is not prefix=url`);
  const prefix = entry.slice(0, eq).trim();
  const [target = '', audience] = entry.slice(eq + 1).trim().split('|');
  if (!PREFIX.test(prefix)) throw new Error(`route prefix "${prefix}" must be an absolute path without a trailing slash`);
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new Error(`route "${prefix}" has no valid upstream URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`route "${prefix}" must point to an http(s) URL`);
  if (url.search !== '' || url.hash !== '' || url.username !== '') throw new Error(`route "${prefix}": the upstream URL takes no query, fragment or credentials`);
  return { prefix, origin: url.origin, basePath: url.pathname.replace(/\/+$/, ''), audience: audience?.trim() || undefined };
}

/** Parses `PROXY_ROUTES`; sorted longest prefix first so the most specific route wins. */
export function parseRouteTable(text: string): Route[] {
  const routes = text.split(',').map((entry) => entry.trim()).filter(Boolean).map(parseRoute);
  if (routes.length === 0) throw new Error('the route table is empty');
  const prefixes = new Set<string>();
  for (const route of routes) {
    if (prefixes.has(route.prefix)) throw new Error(`route prefix "${route.prefix}" appears twice`);
    prefixes.add(route.prefix);
  }
  return routes.sort((a, b) => b.prefix.length - a.prefix.length);
}

/** The route a request path falls under, if any. */
export function matchRoute(routes: readonly Route[], path: string): Route | undefined {
  return routes.find((route) => route.prefix === '/' || path === route.prefix || path.startsWith(`${route.prefix}/`));
}

/** The request target upstream: the route's base path, then the path (and query) as received. */
export function upstreamTarget(route: Route, target: string): string {
  return `${route.basePath}${target}`;
}

/** True when a raw path holds a dot segment, plain or percent-encoded, or an encoded separator. */
export function hasUnsafeSegment(path: string): boolean {
  return path.split('/').some((segment) => {
    const lower = segment.toLowerCase();
    return /^(\.|%2e){1,2}$/.test(lower) || lower.includes('%2f') || lower.includes('%5c') || lower.includes('%00');
  });
}
