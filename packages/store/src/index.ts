export type { Store } from './store.js';
export type { StoreOptions } from './create-store.js';
export type { StoreLogger } from './store-logger.js';
export type { RedisHost, RedisTarget } from './redis-url.js';
export { createStore, DEFAULT_COMMAND_TIMEOUT_MS } from './create-store.js';
export { parseRedisUrl } from './redis-url.js';
export { StoreConfigError, StoreInvalidTtl, StoreUnavailable, StoreWrongType } from './store-errors.js';
export { createOidcAdapterFactory, type OidcAdapter, type OidcAdapterOptions, type OidcPayload } from './oidc-adapter.js';
export { OidcPayloadAlreadyConsumed, OidcPayloadReplayed } from './oidc-adapter-errors.js';
