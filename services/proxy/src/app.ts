import { createServiceApp, type BuiltService, type ServiceDependencies } from '@sigil/service-kit';
import type { ProxyConfig } from './config.js';

/** Builds the proxy app from its dependencies; tests call this through `startService`. */
export function buildApp(deps: ServiceDependencies, _config: ProxyConfig): BuiltService {
  const { app } = createServiceApp({ ...deps, routes: () => {} });
  return { app };
}
