export { idopteBridgeService } from './service.js';
export { settings } from './config.js';
