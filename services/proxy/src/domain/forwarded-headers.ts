import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1): meaningful for one connection only,
 * never forwarded. Headers named in `Connection` are hop-by-hop too, and so
 * is `Expect`: this proxy has already answered `100-continue` itself.
 */
const HOP_BY_HOP = new Set(['connection', 'expect', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authenticate', 'proxy-authorization']);

/** Request headers that carry the caller's own credentials or claims about the path here: the upstream trusts only the internal token. */
const CALLER_CREDENTIALS = new Set(['authorization', 'cookie', 'x-access-token']);

/** Forwarding headers a caller could forge; kept only from a trusted ingress. */
const FORWARDING = new Set(['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-prefix']);

function connectionListed(headers: IncomingHttpHeaders): Set<string> {
  const value = headers.connection;
  return new Set((value ?? '').split(',').map((name) => name.trim().toLowerCase()).filter(Boolean));
}

export interface ForwardingContext {
  /** The caller's address as this proxy sees it. */
  readonly clientAddress: string;
  /** The Host the caller asked for. */
  readonly host: string;
  /** `http` or `https`, as the caller used. */
  readonly proto: string;
  /** Keep the caller's `X-Forwarded-*` (they come from a trusted ingress). */
  readonly trustForwarded: boolean;
  /** Keep the caller's `Authorization` (forwarding to a legacy backend that reads it). */
  readonly keepAuthorization: boolean;
}

/**
 * The headers sent upstream: everything end-to-end, minus hop-by-hop headers
 * and the caller's credentials, plus `X-Forwarded-For`, `-Host` and `-Proto`
 * (appended to a trusted ingress's own). `Host` is the upstream's.
 */
export function forwardedRequestHeaders(incoming: IncomingHttpHeaders, context: ForwardingContext): OutgoingHttpHeaders {
  const listed = connectionListed(incoming);
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || name === 'host' || HOP_BY_HOP.has(name) || listed.has(name)) continue;
    if (CALLER_CREDENTIALS.has(name) && !(name === 'authorization' && context.keepAuthorization)) continue;
    if (FORWARDING.has(name) && !context.trustForwarded) continue;
    headers[name] = value;
  }
  const priorFor = context.trustForwarded ? incoming['x-forwarded-for'] : undefined;
  headers['x-forwarded-for'] = priorFor ? `${String(priorFor)}, ${context.clientAddress}` : context.clientAddress;
  if (!context.trustForwarded || incoming['x-forwarded-host'] === undefined) headers['x-forwarded-host'] = context.host;
  if (!context.trustForwarded || incoming['x-forwarded-proto'] === undefined) headers['x-forwarded-proto'] = context.proto;
  return headers;
}

/** The response headers passed back to the caller: everything but hop-by-hop headers. */
export function forwardedResponseHeaders(incoming: IncomingHttpHeaders): OutgoingHttpHeaders {
  const listed = connectionListed(incoming);
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name)) continue;
    headers[name] = value;
  }
  return headers;
}
