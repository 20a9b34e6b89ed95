import { createServiceApp, type BuiltService, type ServiceDependencies } from '@sigil/service-kit';
import type { AcmeResourceConfig } from './config.js';

/** Builds the acme-resource app from its dependencies; tests call this through `startService`. */
export function buildApp(deps: ServiceDependencies, _config: AcmeResourceConfig): BuiltService {
  const { app } = createServiceApp({ ...deps, routes: () => {} });
  return { app };
}
