import { runService } from '@sigil/service-kit';
import { authServerService } from './service.js';

await runService(authServerService);
