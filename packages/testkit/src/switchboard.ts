// An HTTP front for one or more replicas of a service, standing for the load
// balancer: the public URL (an issuer, say) is the switchboard's, and the
// test chooses which replica serves the next requests.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Switchboard {
  readonly url: string;
  readonly port: number;
  /** The front's own HTTP server (to observe the requests it passes on). */
  readonly server: Server;
  /** Replica base URLs, by index. */
  readonly targets: string[];
  /** Which replica serves the requests from now on. */
  use(index: number): void;
  /** How many requests each replica has served. */
  readonly served: number[];
  close(): Promise<void>;
}

export async function startSwitchboard(): Promise<Switchboard> {
  const targets: string[] = [];
  const served: number[] = [];
  let current = 0;
  const server: Server = createServer((req: IncomingMessage, res) => {
    const target = targets[current];
    if (target === undefined) {
      res.writeHead(502).end('no replica');
      return;
    }
    served[current] = (served[current] ?? 0) + 1;
    const upstream = request(`${target}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (response) => {
      res.writeHead(response.statusCode ?? 502, response.rawHeaders);
      response.pipe(res);
    });
    upstream.on('error', () => res.headersSent ? res.destroy() : res.writeHead(502).end('replica unreachable'));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    targets,
    served,
    use(index) {
      if (targets[index] === undefined) throw new Error(`no replica ${index}`);
      current = index;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
