import type { IncomingMessage } from 'node:http';
import { v2 as webdav } from 'webdav-server';

const principals = new WeakMap<IncomingMessage, string>();

/** Names the lock principal (see LockPrincipals) a request acts as, before the library sees it. */
export function actAs(req: IncomingMessage, principal: string): void {
  principals.set(req, principal);
}

/**
 * The library's authentication hook, for a server that serves one account:
 * the caller was already authenticated by its internal token before the
 * request reached the library, so this never challenges (no
 * `WWW-Authenticate` of its own) and names the principal set by `actAs`.
 */
export function accountAuthentication(username: string): webdav.HTTPAuthentication {
  return {
    askForAuthentication: () => ({}),
    getUser: (ctx, callback) => {
      const uid = principals.get(ctx.request);
      if (uid === undefined) callback(webdav.Errors.BadAuthentication);
      else callback(null as unknown as Error, { uid, username, isAdministrator: false, isDefaultUser: false });
    },
  };
}
