import { runService } from '@sigil/service-kit';
import { davStorageService } from './service.js';

await runService(davStorageService);
