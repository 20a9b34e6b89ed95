export { ipServiceService } from './service.js';
export { settings } from './config.js';
