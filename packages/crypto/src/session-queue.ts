/**
 * One operation at a time on a PKCS#11 session (PKCS#11 v2.40 §5.2: a
 * session runs one cryptographic operation at a time), in the order asked,
 * and closing once: `close` stops new operations, waits for those queued,
 * then runs the release once.
 */
export class SessionQueue {
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;

  get closed(): boolean {
    return this.#closed;
  }

  /** Runs `operation` after every earlier one has settled. */
  run<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(operation);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** Stops new operations; once the queued ones settle, `release` runs (only the first close does anything). */
  async close(release: () => void): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#tail;
    release();
  }
}
