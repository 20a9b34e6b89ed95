/**
 * The bench's HTTP/1.1 client, in a worker thread of its own so that the
 * service's event loop carries only the service. It is deliberately thin (one
 * kept-alive socket per lane, requests written pre-encoded, replies framed
 * by Content-Length) so that on a small machine the client takes as little
 * CPU as it can from the service it measures. It reports the elapsed time
 * and how many replies were 200 with `"status":"ok"`.
 */
import { connect, type Socket } from 'node:net';
import { parentPort } from 'node:worker_threads';

export interface LoadRun {
  readonly url: string;
  readonly bodies: readonly string[];
  readonly concurrency: number;
}

export interface LoadResult {
  readonly elapsedMs: number;
  readonly ok: number;
  readonly firstFailure?: string;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** One connection that sends a request and resolves with the status line and body of its reply. */
class Lane {
  readonly #socket: Socket;
  #buffer: Buffer = Buffer.alloc(0);
  #waiting: ((reply: { status: number; body: string }) => void) | undefined;
  #failed: ((error: Error) => void) | undefined;

  constructor(host: string, port: number) {
    this.#socket = connect({ host, port, noDelay: true });
    this.#socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    this.#socket.on('error', (error) => this.#failed?.(error));
  }

  #receive(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const headerEnd = this.#buffer.indexOf(HEADER_END);
    if (headerEnd === -1) return;
    const head = this.#buffer.subarray(0, headerEnd).toString('latin1');
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    const end = headerEnd + HEADER_END.length + length;
    if (this.#buffer.length < end) return;
    const body = this.#buffer.subarray(headerEnd + HEADER_END.length, end).toString();
    this.#buffer = this.#buffer.subarray(end);
    const resolve = this.#waiting;
    this.#waiting = undefined;
    resolve?.({ status: Number(head.slice(9, 12)), body });
  }

  send(request: Buffer): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      this.#waiting = resolve;
      this.#failed = reject;
      this.#socket.write(request);
    });
  }

  close(): void {
    this.#socket.destroy();
  }
}

function encode(target: URL, body: string): Buffer {
  const bytes = Buffer.from(body);
  const head = `POST ${target.pathname} HTTP/1.1\r\nhost: ${target.host}\r\ncontent-type: application/json\r\ncontent-length: ${bytes.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), bytes]);
}

async function run({ url, bodies, concurrency }: LoadRun): Promise<LoadResult> {
  const target = new URL(url);
  const requests = bodies.map((body) => encode(target, body));
  const lanes = Array.from({ length: concurrency }, () => new Lane(target.hostname, Number(target.port)));
  let next = 0;
  let ok = 0;
  let firstFailure: string | undefined;
  const started = performance.now();
  await Promise.all(
    lanes.map(async (lane) => {
      while (next < requests.length) {
        const reply = await lane.send(requests[next++]!);
        if (reply.status === 200 && reply.body.includes('"status":"ok"')) ok += 1;
        else firstFailure ??= `${reply.status} ${reply.body.slice(0, 200)}`;
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  for (const lane of lanes) lane.close();
  return firstFailure === undefined ? { elapsedMs, ok } : { elapsedMs, ok, firstFailure };
}

parentPort?.on('message', (message: LoadRun) => {
  run(message).then(
    (result) => parentPort?.postMessage(result),
    (error: unknown) => parentPort?.postMessage({ elapsedMs: 0, ok: 0, firstFailure: String(error) }),
  );
});
