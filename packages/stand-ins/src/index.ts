export { startImsProvider, IMS_CLIENT_ID, IMS_CLIENT_SECRET, type ImsProvider, type ImsUser } from './ims-provider.js';
export { startLocalChain, type LocalChain } from './local-chain.js';
export { deployUniversalProfile, localChainProvider, type DeployedProfile } from './universal-profile.js';
export { permissionsDataKey, PERMISSIONS } from './lsp6-permissions.js';
export { MiddlewareSimulator, publicKeysFile, type MiddlewareAnswer } from './idopte-middleware.js';
