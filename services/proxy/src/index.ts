export { proxyService } from './service.js';
export { settings } from './config.js';
