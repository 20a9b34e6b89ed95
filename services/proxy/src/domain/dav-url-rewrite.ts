import { matchRoute, type Route } from './route-table.js';

/** A `Destination` that no upstream behind this route can act on (RFC 4918 §9.8.5, §9.9.4: 502). */
export class ForeignDestination extends Error {
  override readonly name = 'ForeignDestination';
  readonly code = 'destination-foreign';
}

export interface DavUrlContext {
  /** Origins this proxy is reached at (its public URL, the Host the request came to). */
  readonly proxyOrigins: readonly string[];
  readonly routes: readonly Route[];
  /** The route the request itself is forwarded along. */
  readonly route: Route;
}

const ORIGIN = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)(.*)$/i;

/** Splits a URL-or-path into origin (lower-cased, '' for a path) and the raw path as sent (percent-encoding kept). */
function split(value: string): { origin: string; rest: string } | undefined {
  if (value.startsWith('/')) return { origin: '', rest: value };
  const match = ORIGIN.exec(value);
  if (!match) return undefined;
  let origin: string;
  try {
    origin = new URL(match[1]!).origin;
  } catch {
    return undefined;
  }
  return { origin, rest: match[2] === '' ? '/' : match[2]! };
}

/** The upstream URL for a URL on this proxy, if it falls under the same route; undefined otherwise. */
function toUpstream(value: string, context: DavUrlContext): string | undefined {
  const parts = split(value.trim());
  if (!parts || (parts.origin !== '' && !context.proxyOrigins.includes(parts.origin))) return undefined;
  const path = parts.rest.split(/[?#]/, 1)[0]!;
  if (matchRoute(context.routes, path) !== context.route) return undefined;
  return `${context.route.origin}${context.route.basePath}${parts.rest}`;
}

/**
 * `Destination` (RFC 4918 §10.3) as the upstream must see it: a URL on this
 * proxy becomes the same path on the upstream's origin. A destination on
 * another server, or behind another route (another upstream), cannot be
 * reached by a COPY or MOVE at this upstream: ForeignDestination.
 */
export function rewriteDestination(value: string, context: DavUrlContext): string {
  const upstream = toUpstream(value, context);
  if (upstream === undefined) throw new ForeignDestination('the Destination is not behind the same route of this proxy');
  return upstream;
}

/** `If` (RFC 4918 §10.4) with each resource tag on this proxy rewritten like `Destination`; lists and other tags are left as sent. */
export function rewriteIfHeader(value: string, context: DavUrlContext): string {
  return value.replace(/\([^)]*\)|<([^>]*)>/g, (whole, tag: string | undefined) => {
    if (tag === undefined) return whole;
    const upstream = toUpstream(tag, context);
    return upstream === undefined ? whole : `<${upstream}>`;
  });
}

/** A `Location` from the upstream, pointed back at this proxy (the upstream's origin is not the caller's to see). */
export function rewriteLocation(value: string, route: Route, proxyOrigin: string): string {
  const parts = split(value);
  if (!parts || parts.origin !== route.origin) return value;
  const rest = route.basePath !== '' && parts.rest.startsWith(route.basePath) ? parts.rest.slice(route.basePath.length) : parts.rest;
  return `${proxyOrigin}${rest}`;
}
