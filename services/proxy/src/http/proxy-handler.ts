import type { Request, RequestHandler } from 'express';
import type { AccountResolver } from '../accounts/account-resolver.js';
import type { Caller, CallerAuthenticator } from '../accounts/caller-authenticator.js';
import type { Account } from '../domain/account.js';
import { isAdministrator, type AdminPolicy } from '../domain/admin-policy.js';
import { ForeignDestination, rewriteDestination, rewriteIfHeader, rewriteLocation, type DavUrlContext } from '../domain/dav-url-rewrite.js';
import { forwardedRequestHeaders } from '../domain/forwarded-headers.js';
import { hasUnsafeSegment, matchRoute, upstreamTarget, type Route } from '../domain/route-table.js';
import type { UpstreamForwarder } from '../forward/upstream-forwarder.js';
import type { InternalTokenMinter } from '../keys/internal-token-minter.js';
import { destinationForeign, unsafePath } from '../problems.js';

export interface ProxyHandlerOptions {
  readonly routes: readonly Route[];
  readonly publicOrigin: string;
  readonly callers: CallerAuthenticator;
  readonly accounts: AccountResolver;
  readonly minter: InternalTokenMinter;
  readonly forwarder: UpstreamForwarder;
  readonly defaultAudience: string;
  readonly adminPolicy: AdminPolicy;
  readonly legacyUrl: string | undefined;
  readonly upstreamTimeoutMs: number;
  readonly trustForwarded: boolean;
}

/** Paths the proxy answers itself (health and JWKS are mounted before any route). */
const OWN_API = '/api/v1/';

/** Roles the internal token carries: the token's own, and `admin` for administrators. */
function rolesOf(caller: Caller, account: Account, policy: AdminPolicy): string[] {
  const roles = caller.kind === 'bearer' ? [...caller.identity.roles] : [];
  const admin = caller.kind === 'bearer' ? isAdministrator(caller.identity, account, policy) : account.groups.includes(policy.group);
  if (admin && !roles.includes('admin')) roles.push('admin');
  return roles;
}

/**
 * The request flow for everything under a route, step by step:
 * route → who is calling (bearer: cache / JWT / userinfo; basic: app
 * password) → account (found, disabled, legacy, or provisioned) → internal
 * token → forward, streamed, to the route's upstream (or to the legacy
 * backend with the caller's own bearer token).
 */
export function proxyHandler(options: ProxyHandlerOptions): RequestHandler {
  return async (req, res, next) => {
    // The proxy's own API is never forwarded, even under a catch-all `/` route.
    const route = req.path.startsWith(OWN_API) ? undefined : matchRoute(options.routes, req.path);
    if (!route) {
      next();
      return;
    }
    if (hasUnsafeSegment(req.path)) throw unsafePath();
    const caller = await options.callers.authenticate(req.get('authorization'));
    const destination = caller.kind === 'bearer' ? await options.accounts.resolve(caller.identity, caller.authorization) : { kind: 'account' as const, account: caller.account };
    const forwarding = {
      clientAddress: req.socket.remoteAddress ?? '',
      host: req.get('host') ?? '',
      proto: req.protocol,
      trustForwarded: options.trustForwarded,
    };
    if (destination.kind === 'legacy') {
      // The seed: a user the legacy backend knows is sent there with their own bearer token.
      const legacy = new URL(options.legacyUrl!);
      const headers = forwardedRequestHeaders(req.headers, { ...forwarding, keepAuthorization: true });
      await options.forwarder.forward(req, res, { origin: legacy.origin, target: `${legacy.pathname.replace(/\/+$/, '')}${req.url}`, headers, timeoutMs: options.upstreamTimeoutMs });
      return;
    }
    const { account } = destination;
    const headers = forwardedRequestHeaders(req.headers, { ...forwarding, keepAuthorization: false });
    headers['x-access-token'] = await options.minter.mint(account, rolesOf(caller, account, options.adminPolicy), route.audience ?? options.defaultAudience);
    rewriteDavUrls(req, headers, { proxyOrigins: proxyOrigins(req, options.publicOrigin), routes: options.routes, route });
    await options.forwarder.forward(req, res, {
      origin: route.origin,
      target: upstreamTarget(route, req.url),
      headers,
      timeoutMs: options.upstreamTimeoutMs,
      rewriteLocation: (value) => rewriteLocation(value, route, `${req.protocol}://${req.get('host') ?? ''}`),
    });
  };
}

function proxyOrigins(req: Request, publicOrigin: string): string[] {
  const host = req.get('host');
  return host ? [publicOrigin, `${req.protocol}://${host.toLowerCase()}`] : [publicOrigin];
}

/** `Destination` and `If` name URLs on this proxy; the upstream must see its own (RFC 4918 §10.3, §10.4). */
function rewriteDavUrls(req: Request, headers: Record<string, unknown>, context: DavUrlContext): void {
  if (context.proxyOrigins.includes(context.route.origin) && context.route.basePath === '') return;
  const destination = req.get('destination');
  if (destination !== undefined) {
    try {
      headers.destination = rewriteDestination(destination, context);
    } catch (error) {
      if (error instanceof ForeignDestination) throw destinationForeign();
      throw error;
    }
  }
  const ifHeader = req.get('if');
  if (ifHeader !== undefined) headers.if = rewriteIfHeader(ifHeader, context);
}
