import { runService } from '@sigil/service-kit';
import { growHeapForRelaying } from './runtime/heap-growth.js';
import { proxyService } from './service.js';

growHeapForRelaying();
await runService(proxyService);
