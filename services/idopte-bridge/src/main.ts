import { runService } from '@sigil/service-kit';
import { idopteBridgeService } from './service.js';

await runService(idopteBridgeService);
