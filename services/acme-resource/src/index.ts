export { acmeResourceService } from './service.js';
export { settings } from './config.js';
