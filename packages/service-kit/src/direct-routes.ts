import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestScope } from './request-scope.js';

/**
 * A route served straight from the request listener, ahead of express: for
 * the few endpoints whose rate is the service's figure of merit (token
 * issuance, challenge answers, the OAuth endpoints), where express's
 * per-request routing and request decoration cost more than the work. The
 * request still gets its id, trace, security headers, access log and
 * metrics; errors thrown here are answered as problems, like express
 * routes' are.
 */
export interface DirectRoute {
  /** The method it answers (`GET` answers `HEAD` too); absent: every method. */
  readonly method?: string;
  /**
   * An exact path (`/up/token`), one with `:name` segments
   * (`/clients/:cid/access-token`), or a prefix ending in `/*`
   * (`/oidc/*`, which also matches `/oidc`). It is the metrics' route label.
   */
  readonly path: string;
  /**
   * Path prefixes (`/api/`) this route leaves to express although `path`
   * matches them: a catch-all route beside a service's own API.
   */
  readonly except?: readonly string[];
  handle(req: IncomingMessage, res: ServerResponse, scope: RequestScope): void | Promise<void>;
}

/** A direct route that matched a request, with its `:name` segments decoded. */
export interface DirectMatch {
  readonly route: DirectRoute;
  readonly params: Readonly<Record<string, string>>;
}

const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({});

interface PatternRoute {
  readonly route: DirectRoute;
  readonly segments: readonly string[];
  readonly prefix: boolean;
}

function answers(route: DirectRoute, method: string | undefined, path: string): boolean {
  const methodMatches = route.method === undefined || route.method === method || (route.method === 'GET' && method === 'HEAD');
  return methodMatches && (route.except === undefined || !route.except.some((prefix) => path.startsWith(prefix)));
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function matchPattern(pattern: PatternRoute, parts: readonly string[]): Record<string, string> | undefined {
  const { segments, prefix } = pattern;
  if (prefix ? parts.length < segments.length : parts.length !== segments.length) return undefined;
  let params: Record<string, string> | undefined;
  for (let i = 0; i < segments.length; i += 1) {
    const expected = segments[i]!;
    const actual = parts[i]!;
    if (expected.startsWith(':')) {
      const value = actual === '' ? undefined : decode(actual);
      if (value === undefined) return undefined;
      (params ??= {})[expected.slice(1)] = value;
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return params ?? NO_PARAMS;
}

/**
 * The direct routes of a service, looked up by method and path: exact paths
 * through one map lookup, patterns in the order they were given.
 */
export class DirectRoutes {
  readonly #exact = new Map<string, DirectRoute[]>();
  readonly #patterns: PatternRoute[] = [];

  constructor(routes: readonly DirectRoute[]) {
    for (const route of routes) {
      if (!route.path.startsWith('/')) throw new Error(`direct route path must start with "/": ${route.path}`);
      const prefix = route.path.endsWith('/*');
      const path = prefix ? route.path.slice(0, -2) : route.path;
      if (!prefix && !path.includes('/:')) {
        const list = this.#exact.get(path) ?? [];
        list.push(route);
        this.#exact.set(path, list);
      } else {
        this.#patterns.push({ route, segments: path.split('/'), prefix });
      }
    }
  }

  /** The route for a request's method and path (without query), if any. */
  match(method: string | undefined, path: string): DirectMatch | undefined {
    const exact = this.#exact.get(path);
    if (exact !== undefined) {
      for (const route of exact) if (answers(route, method, path)) return { route, params: NO_PARAMS };
    }
    // Split once, for every pattern.
    let parts: string[] | undefined;
    for (const pattern of this.#patterns) {
      if (!answers(pattern.route, method, path)) continue;
      const params = matchPattern(pattern, (parts ??= path.split('/')));
      if (params !== undefined) return { route: pattern.route, params };
    }
    return undefined;
  }
}
