export { davStorageService } from './service.js';
export { settings } from './config.js';
