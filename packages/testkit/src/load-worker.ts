// The program of the load client's worker thread (see load-client.ts). It is
// deliberately thin — one kept-alive socket per lane, requests written
// pre-encoded, replies framed by Content-Length — so that on a small machine
// the load takes as little CPU as it can from the service it measures.
import { connect, type Socket } from 'node:net';
import { parentPort } from 'node:worker_threads';
import type { LoadReport, LoadRequest } from './load-client.js';

const HEADER_END = Buffer.from('\r\n\r\n');

interface Reply {
  readonly status: number;
  readonly body: string;
}

/** One connection that sends a request and resolves with the status and body of its reply. */
class Lane {
  readonly #socket: Socket;
  #buffer: Buffer = Buffer.alloc(0);
  #waiting: ((reply: Reply) => void) | undefined;
  #failed: ((error: Error) => void) | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    this.#socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    this.#socket.on('error', (error) => this.#failed?.(error));
  }

  /** A lane whose connection is up: the handshake is no part of what a run measures. */
  static open(host: string, port: number): Promise<Lane> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, noDelay: true });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new Lane(socket));
      });
    });
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

  send(request: Buffer): Promise<Reply> {
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

function encode(target: URL, request: LoadRequest): Buffer {
  const body = Buffer.from(request.body ?? '');
  const lines = [`${request.method} ${request.path} HTTP/1.1`, `host: ${target.host}`];
  for (const [name, value] of Object.entries(request.headers ?? {})) lines.push(`${name}: ${value}`);
  if (body.length > 0 || request.method === 'POST' || request.method === 'PUT') lines.push(`content-length: ${body.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

async function run(origin: string, requests: readonly LoadRequest[], concurrency: number, expectStatus: number, expectBody?: string): Promise<LoadReport> {
  const target = new URL(origin);
  const encoded = requests.map((request) => encode(target, request));
  const lanes = await Promise.all(Array.from({ length: concurrency }, () => Lane.open(target.hostname, Number(target.port))));
  let next = 0;
  let ok = 0;
  let firstFailure: string | undefined;
  const started = performance.now();
  await Promise.all(
    lanes.map(async (lane) => {
      while (next < encoded.length) {
        const reply = await lane.send(encoded[next++]!);
        if (reply.status === expectStatus && (expectBody === undefined || reply.body.includes(expectBody))) ok += 1;
        else firstFailure ??= `${reply.status} ${reply.body.slice(0, 300)}`;
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  for (const lane of lanes) lane.close();
  return firstFailure === undefined ? { elapsedMs, ok } : { elapsedMs, ok, firstFailure };
}

interface RunMessage {
  origin: string;
  requests: LoadRequest[];
  concurrency: number;
  expectStatus: number;
  expectBody?: string;
}

parentPort?.on('message', (message: RunMessage) => {
  run(message.origin, message.requests, message.concurrency, message.expectStatus, message.expectBody).then(
    (report) => parentPort?.postMessage(report),
    (error: unknown) => parentPort?.postMessage({ elapsedMs: 0, ok: 0, firstFailure: String(error) } satisfies LoadReport),
  );
});
