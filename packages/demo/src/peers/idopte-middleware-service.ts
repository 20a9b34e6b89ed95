import { randomUUID, X509Certificate, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MiddlewareSimulator } from '@sigil/stand-ins';
import { startHttp, type RunningServer } from '@sigil/testkit';

/** A handshake the middleware has answered and waits to complete: the server challenge it sent, and the key that must sign it. */
interface PendingEnvironment {
  readonly serverChallenge: Buffer;
  readonly serviceKey: KeyObject;
}

const MAX_BODY = 64 * 1024;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk);
  }
  const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  if (typeof body !== 'object' || body === null) throw new Error('not a JSON object');
  return body as Record<string, unknown>;
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

const base64 = (value: unknown): Buffer => {
  if (typeof value !== 'string') throw new Error('a base64 field is missing');
  return Buffer.from(value, 'base64');
};

/**
 * The Idopte middleware as the web client reaches it: a local HTTP API
 * (the real one backs the `SCWS` JavaScript SDK) around the simulator.
 * `POST /findService` takes the service certificate and the client's
 * challenge and answers the signed challenge and a challenge for the
 * server (`SCWS.findService`); `POST /createEnvironment` takes the
 * server's signature and accepts it only if the certificate's key made it
 * (`SCWS.createEnvironment`). Each handshake is completed at most once.
 */
export async function startIdopteMiddleware(simulator: MiddlewareSimulator, pubkeyId = 0): Promise<RunningServer> {
  const pending = new Map<string, PendingEnvironment>();

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'POST' && req.url === '/findService') {
      const body = await readJson(req);
      const serviceKey = new X509Certificate(base64(body.certificate)).publicKey;
      const handshake = simulator.answer(base64(body.challenge), pubkeyId);
      const environment = randomUUID();
      pending.set(environment, { serverChallenge: handshake.server_challenge, serviceKey });
      return answer(res, 200, {
        environment,
        middleware_challenge: handshake.middleware_challenge.toString('base64'),
        middleware_signature: Buffer.from(handshake.middleware_signature).toString('base64'),
        server_challenge: handshake.server_challenge.toString('base64'),
        pubkey_id: handshake.pubkey_id,
      });
    }
    if (req.method === 'POST' && req.url === '/createEnvironment') {
      const body = await readJson(req);
      const environment = typeof body.environment === 'string' ? pending.get(body.environment) : undefined;
      if (environment === undefined) return answer(res, 404, { error: 'no such handshake' });
      pending.delete(body.environment as string);
      const accepted = simulator.acceptsServerSignature(environment.serviceKey, environment.serverChallenge, base64(body.server_signature));
      return accepted ? answer(res, 200, { environment: 'ready' }) : answer(res, 403, { error: 'the server signature does not match the certificate' });
    }
    return answer(res, 404, { error: 'not found' });
  };
  return startHttp((req, res) => {
    serve(req, res).catch((error: unknown) => answer(res, 400, { error: error instanceof Error ? error.message : 'bad request' }));
  });
}
