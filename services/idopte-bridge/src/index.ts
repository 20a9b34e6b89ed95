export { idopteBridgeService } from './service.js';
export { settings, type IdopteBridgeConfig } from './config.js';
export { reloadIdopteConfiguration } from './configuration/reload-signal.js';
export { parseMiddlewarePublicKeys, MiddlewarePublicKeys, PUBLIC_KEY_LABEL, REVOKED_PUBLIC_KEY_LABEL, type MiddlewarePublicKey } from './domain/middleware-public-keys.js';
export { PublicKeyFileError } from './domain/public-key-file-error.js';
export type { IdopteCertificateReply, IdopteChallengeReply, IdopteChallengeRequest } from './domain/idopte-replies.js';
