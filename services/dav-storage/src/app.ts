import { createServiceApp, type BuiltService, type ServiceDependencies } from '@sigil/service-kit';
import type { DavStorageConfig } from './config.js';

/** Builds the dav-storage app from its dependencies; tests call this through `startService`. */
export function buildApp(deps: ServiceDependencies, _config: DavStorageConfig): BuiltService {
  const { app } = createServiceApp({ ...deps, routes: () => {} });
  return { app };
}
