export { authServerService } from './service.js';
export { settings } from './config.js';
