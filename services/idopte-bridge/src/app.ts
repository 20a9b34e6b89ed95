import { createServiceApp, type BuiltService, type ServiceDependencies } from '@sigil/service-kit';
import type { IdopteBridgeConfig } from './config.js';

/** Builds the idopte-bridge app from its dependencies; tests call this through `startService`. */
export function buildApp(deps: ServiceDependencies, _config: IdopteBridgeConfig): BuiltService {
  const { app } = createServiceApp({ ...deps, routes: () => {} });
  return { app };
}
