// The store's typed errors. Callers branch on `code`, never on messages:
// STORE_UNAVAILABLE becomes a 503 (fail closed), the others are bugs or
// misconfiguration caught at start-up.

/**
 * The backend could not be reached or did not answer in time. Requests that
 * need the store fail closed; the store reconnects by itself. The underlying
 * error is kept as `cause` (for logs, never for responses).
 */
export class StoreUnavailable extends Error {
  readonly code = 'STORE_UNAVAILABLE';
  override readonly name = 'StoreUnavailable';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The key holds another kind of value than the operation expects: a set read
 * as a string, a string used as a set, a counter that is not an integer.
 */
export class StoreWrongType extends Error {
  readonly code = 'STORE_WRONG_TYPE';
  override readonly name = 'StoreWrongType';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A TTL or window that is not a positive whole number of milliseconds. */
export class StoreInvalidTtl extends RangeError {
  readonly code = 'STORE_INVALID_TTL';
  override readonly name = 'StoreInvalidTtl';

  constructor(ttlMs: unknown) {
    super(`TTL must be a positive integer number of milliseconds, got ${String(ttlMs)}`);
  }
}

/** `createStore` options that cannot work (bad `REDIS_URL`, empty prefix); thrown at start-up. */
export class StoreConfigError extends Error {
  readonly code = 'STORE_CONFIG_INVALID';
  override readonly name = 'StoreConfigError';
}
