import { createServiceApp, type BuiltService, type ServiceDependencies } from '@sigil/service-kit';
import type { AuthServerConfig } from './config.js';

/** Builds the auth-server app from its dependencies; tests call this through `startService`. */
export function buildApp(deps: ServiceDependencies, _config: AuthServerConfig): BuiltService {
  const { app } = createServiceApp({ ...deps, routes: () => {} });
  return { app };
}
