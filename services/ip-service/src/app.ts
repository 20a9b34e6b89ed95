import { createServiceApp, type BuiltService, type ServiceDependencies } from '@sigil/service-kit';
import type { IpServiceConfig } from './config.js';

/** Builds the ip-service app from its dependencies; tests call this through `startService`. */
export function buildApp(deps: ServiceDependencies, _config: IpServiceConfig): BuiltService {
  const { app } = createServiceApp({ ...deps, routes: () => {} });
  return { app };
}
