import { runService } from '@sigil/service-kit';
import { acmeResourceService } from './service.js';

await runService(acmeResourceService);
