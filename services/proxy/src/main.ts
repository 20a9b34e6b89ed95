import { runService } from '@sigil/service-kit';
import { proxyService } from './service.js';

await runService(proxyService);
