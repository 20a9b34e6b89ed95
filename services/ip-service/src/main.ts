import { runService } from '@sigil/service-kit';
import { ipServiceService } from './service.js';

await runService(ipServiceService);
