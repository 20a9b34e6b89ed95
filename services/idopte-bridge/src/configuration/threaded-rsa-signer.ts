import type { JsonWebKey, KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { Signer } from '@sigil/crypto';

/**
 * The thread's whole program: raw PKCS#1 v1.5 signatures (block type 1, no
 * digest, RFC 8017 §9.2 without the DigestInfo of step 2) with the key it
 * was given. node:crypto offers this only synchronously (`privateEncrypt`),
 * so it runs here rather than on the event loop. Requests come in batches
 * (one message for all those made in the same turn of the event loop);
 * each signature goes back as soon as it is made. Kept as source text so it
 * runs the same from sources, from `dist/` and under a test runner.
 */
const SIGNING_THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { constants, privateEncrypt } = require('node:crypto');
const options = { key: workerData.key, padding: constants.RSA_PKCS1_PADDING };
parentPort.on('message', (batch) => {
  for (const { id, data } of batch) {
    let reply;
    try {
      reply = { id, signature: privateEncrypt(options, data) };
    } catch (error) {
      reply = { id, error: String(error && error.message) };
    }
    parentPort.postMessage(reply);
  }
});
`;

interface Pending {
  resolve(signature: Uint8Array): void;
  reject(error: Error): void;
}

type Reply = { id: number; signature: Uint8Array } | { id: number; error: string };

/** One signing thread and the signatures it owes. A thread that dies fails what it owed and is replaced. */
class SigningThread {
  readonly #key: KeyObject;
  readonly pending = new Map<number, Pending>();
  #worker: Worker;
  #nextId = 0;
  #closed = false;
  #batch: { id: number; data: Uint8Array }[] = [];
  readonly #flush = () => {
    const batch = this.#batch;
    this.#batch = [];
    this.#worker.postMessage(batch);
  };

  constructor(key: KeyObject) {
    this.#key = key;
    this.#worker = this.#spawn();
  }

  #spawn(): Worker {
    // A KeyObject is cloned into the thread as a key; its bytes are never exported here.
    const worker = new Worker(SIGNING_THREAD_SOURCE, { eval: true, workerData: { key: this.#key } });
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      if (waiting === undefined) return;
      this.pending.delete(reply.id);
      if ('signature' in reply) waiting.resolve(reply.signature);
      else waiting.reject(new Error(`raw RSA signing failed: ${reply.error}`));
    });
    worker.on('error', (error) => this.#lost(worker, error));
    worker.on('exit', (code) => this.#lost(worker, new Error(`the signing thread exited (code ${code})`)));
    return worker;
  }

  #lost(worker: Worker, error: Error): void {
    if (worker !== this.#worker) return;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
    if (!this.#closed) this.#worker = this.#spawn();
  }

  sign(data: Uint8Array): Promise<Uint8Array> {
    if (this.#closed) return Promise.reject(new Error('the service key is closed'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.#batch.push({ id, data }) === 1) queueMicrotask(this.#flush);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#worker.terminate();
  }
}

/**
 * A raw PKCS#1 v1.5 (`RSA-PKCS1-RAW`) Signer over an in-memory RSA key that
 * signs on worker threads: the event loop keeps parsing requests and talking
 * to Redis while an RSA private-key operation (the dearest step of a
 * challenge) runs beside it. Each signature goes to the thread owing the
 * fewest.
 */
export class ThreadedRsaSigner implements Signer {
  readonly algorithm = 'RSA-PKCS1-RAW' as const;
  readonly publicJwk: JsonWebKey;
  readonly #threads: SigningThread[];

  constructor(key: KeyObject, publicJwk: JsonWebKey, threads: number) {
    this.publicJwk = publicJwk;
    this.#threads = Array.from({ length: Math.max(1, threads) }, () => new SigningThread(key));
  }

  sign(data: Uint8Array): Promise<Uint8Array> {
    let chosen = this.#threads[0]!;
    for (const thread of this.#threads) if (thread.pending.size < chosen.pending.size) chosen = thread;
    return chosen.sign(data);
  }

  async close(): Promise<void> {
    await Promise.all(this.#threads.map((thread) => thread.close()));
  }
}
