import { Worker } from 'node:worker_threads';

/** One request of a load run, written as given (HTTP/1.1, `Content-Length` added for bodies). */
export interface LoadRequest {
  readonly method: string;
  /** The request target: path and query. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface LoadReport {
  readonly elapsedMs: number;
  /** Replies with the expected status (and body fragment). */
  readonly ok: number;
  readonly firstFailure?: string;
}

export interface LoadRun {
  /** `http://host:port` of the service. */
  readonly origin: string;
  readonly requests: readonly LoadRequest[];
  /** Requests in flight, one kept-alive connection each. */
  readonly concurrency: number;
  readonly expectStatus?: number;
  /** A fragment every good reply's body contains. */
  readonly expectBody?: string;
}

/**
 * A benchmark's HTTP load, sent from a worker thread of its own so that the
 * service under measurement keeps its event loop to itself; the client is
 * thin (raw sockets, pre-encoded requests) to take little CPU beside it.
 * Close it when done.
 */
export class LoadClient {
  readonly #worker: Worker;

  constructor() {
    // From sources (a test runner or tsx) the worker is the .ts file; from dist/, the .js one.
    const program = new URL(import.meta.url.endsWith('.ts') ? './load-worker.ts' : './load-worker.js', import.meta.url);
    this.#worker = new Worker(program);
  }

  run(load: LoadRun): Promise<LoadReport> {
    return new Promise((resolve, reject) => {
      const failed = (error: Error) => reject(error);
      this.#worker.once('error', failed);
      this.#worker.once('message', (report: LoadReport) => {
        this.#worker.off('error', failed);
        resolve(report);
      });
      this.#worker.postMessage({ ...load, expectStatus: load.expectStatus ?? 200 });
    });
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}
