import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DirectRoute, RequestScope } from '@sigil/service-kit';
import type { AccountResolver } from '../accounts/account-resolver.js';
import type { Caller, CallerAuthenticator } from '../accounts/caller-authenticator.js';
import type { Account } from '../domain/account.js';
import { isAdministrator, type AdminPolicy } from '../domain/admin-policy.js';
import { ForeignDestination, rewriteDestination, rewriteIfHeader, rewriteLocation, type DavUrlContext } from '../domain/dav-url-rewrite.js';
import { forwardedRequestHeaders } from '../domain/forwarded-headers.js';
import { hasUnsafeSegment, upstreamTarget, type Route } from '../domain/route-table.js';
import type { UpstreamForwarder } from '../forward/upstream-forwarder.js';
import type { InternalTokenMinter } from '../keys/internal-token-minter.js';
import { destinationForeign, unsafePath } from '../problems.js';
import { answerAuthenticationRequired } from './authentication-response.js';

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
  /** Where a browser is sent when it must sign in. */
  readonly loginUrl: string;
}

/** Paths the proxy answers itself, even under a catch-all `/` route (health and JWKS are exact routes, found first). */
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
 * backend with the caller's own bearer token). One direct route per line of
 * the route table, most specific first: this is the proxy's hot path.
 */
export function proxyRoutes(options: ProxyHandlerOptions): DirectRoute[] {
  return options.routes.map((route) => ({
    path: route.prefix === '/' ? '/*' : `${route.prefix}/*`,
    except: [OWN_API],
    async handle(req, res, scope) {
      try {
        await forward(route, req, res, scope, options);
      } catch (error) {
        if (!answerAuthenticationRequired(error, req, res, options.loginUrl)) throw error;
      }
    },
  }));
}

async function forward(route: Route, req: IncomingMessage, res: ServerResponse, scope: RequestScope, options: ProxyHandlerOptions): Promise<void> {
  if (hasUnsafeSegment(scope.path)) throw unsafePath();
  const caller = await options.callers.authenticate(req.headers.authorization, scope.trace);
  const destination = caller.kind === 'bearer' ? await options.accounts.resolve(caller.identity, caller.authorization, scope.trace) : { kind: 'account' as const, account: caller.account };
  const host = req.headers.host ?? '';
  const forwarding = {
    clientAddress: req.socket.remoteAddress ?? '',
    host,
    proto: scope.protocol,
    trustForwarded: options.trustForwarded,
  };
  const target = req.url ?? '/';
  if (destination.kind === 'legacy') {
    // The seed: a user the legacy backend knows is sent there with their own bearer token.
    const legacy = new URL(options.legacyUrl!);
    const headers = forwardedRequestHeaders(req.headers, { ...forwarding, keepAuthorization: true });
    await options.forwarder.forward(req, res, { origin: legacy.origin, target: `${legacy.pathname.replace(/\/+$/, '')}${target}`, headers, timeoutMs: options.upstreamTimeoutMs, trace: scope.trace });
    return;
  }
  const { account } = destination;
  const headers = forwardedRequestHeaders(req.headers, { ...forwarding, keepAuthorization: false });
  headers['x-access-token'] = await options.minter.mint(account, rolesOf(caller, account, options.adminPolicy), route.audience ?? options.defaultAudience);
  const callerOrigin = `${scope.protocol}://${host}`;
  rewriteDavUrls(req, headers, { proxyOrigins: host ? [options.publicOrigin, callerOrigin.toLowerCase()] : [options.publicOrigin], routes: options.routes, route });
  await options.forwarder.forward(req, res, {
    origin: route.origin,
    target: upstreamTarget(route, target),
    headers,
    timeoutMs: options.upstreamTimeoutMs,
    trace: scope.trace,
    rewriteLocation: (value) => rewriteLocation(value, route, callerOrigin),
  });
}

/** `Destination` and `If` name URLs on this proxy; the upstream must see its own (RFC 4918 §10.3, §10.4). */
function rewriteDavUrls(req: IncomingMessage, headers: Record<string, unknown>, context: DavUrlContext): void {
  if (context.proxyOrigins.includes(context.route.origin) && context.route.basePath === '') return;
  const destination = req.headers.destination;
  if (typeof destination === 'string') {
    try {
      headers.destination = rewriteDestination(destination, context);
    } catch (error) {
      if (error instanceof ForeignDestination) throw destinationForeign();
      throw error;
    }
  }
  const ifHeader = req.headers.if;
  if (typeof ifHeader === 'string') headers.if = rewriteIfHeader(ifHeader, context);
}
