export { ipServiceService, ipService } from './service.js';
export type { IpServiceOptions } from './app.js';
export { settings } from './config.js';
export { UpError, type UpErrorCode } from './domain/up-error.js';
export { permissionsDataKey, hasSignPermission, SIGN_PERMISSION } from './domain/lsp6-permissions.js';
export { appMessageDigest, clientDigest } from './domain/signed-digests.js';
