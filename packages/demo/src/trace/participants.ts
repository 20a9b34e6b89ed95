import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestListener, Server } from 'node:http';

/**
 * Who makes the HTTP requests of the code running now: a demo actor (the
 * browser, the Wire client), or a server while it serves a request (so
 * that proxy → auth-server is told apart from browser → auth-server). It
 * follows the code through every await, so libraries that make the
 * requests (openid-client, acme-client, ethers) need no hook of their own.
 */
const acting = new AsyncLocalStorage<string>();

/** The participant of a load balancer: it only passes requests on, so what it sends is not an exchange of its own. */
export const PASS_THROUGH = '(pass-through)';

/** Runs `work` with every request it makes attributed to `participant`. */
export function actingAs<T>(participant: string, work: () => T): T {
  return acting.run(participant, work);
}

export function currentParticipant(): string | undefined {
  return acting.getStore();
}

/**
 * Serves every request of `server` as `participant`: the server's request
 * listeners are wrapped once, so the calls made while serving (userinfo,
 * JWKS, the storage backend) are attributed to it.
 */
export function serveAs(server: Server, participant: string): void {
  const listeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  for (const listener of listeners) {
    server.on('request', (req, res) => acting.run(participant, () => listener.call(server, req, res)));
  }
}

/** The participant behind each origin the demo started (replicas and their front share one name). */
export class ParticipantMap {
  readonly #byOrigin = new Map<string, string>();

  add(url: string, participant: string): void {
    this.#byOrigin.set(new URL(url).origin, participant);
  }

  /** The participant at `url`'s origin; an origin the demo did not start is named by its host (`gropius.example`). */
  nameOf(url: string): string {
    const { origin, host } = new URL(url);
    return this.#byOrigin.get(origin) ?? host;
  }
}
