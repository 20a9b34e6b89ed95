import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real http-01 responder on 127.0.0.1: serves `/.well-known/acme-challenge/<token>` from what it is given. */
export interface Http01Responder {
  readonly port: number;
  /** Every request it received, as `host path`. */
  readonly requests: string[];
  set(token: string, keyAuthorization: string): void;
  remove(token: string): void;
  close(): Promise<void>;
}

export async function startHttp01Responder(): Promise<Http01Responder> {
  const answers = new Map<string, string>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.headers.host ?? ''} ${req.url ?? ''}`);
    const match = /^\/\.well-known\/acme-challenge\/([A-Za-z0-9_-]+)$/.exec(req.url ?? '');
    const answer = match ? answers.get(match[1]!) : undefined;
    if (answer === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(answer);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    set: (token, keyAuthorization) => answers.set(token, keyAuthorization),
    remove: (token) => answers.delete(token),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
