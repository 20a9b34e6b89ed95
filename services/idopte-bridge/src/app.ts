import { createServiceApp, type BuiltService, type ServiceDependencies } from '@sigil/service-kit';
import type { IdopteBridgeConfig } from './config.js';
import { idopteFilesOf } from './configuration/idopte-files.js';
import { ReloadableIdopteConfiguration } from './configuration/reloadable-configuration.js';
import { reloadOnSighup } from './configuration/reload-signal.js';
import { idopteRoutes } from './http/idopte-routes.js';
import { ChallengeRateLimit } from './store/challenge-rate-limit.js';
import { storedChallengeMarks } from './store/challenge-marks.js';

/**
 * Builds the idopte-bridge app from its dependencies; tests call this through
 * `startService`. Loads the Idopte files (a partial or bad configuration is a
 * ConfigError), reloads them on SIGHUP, and on close stops listening for the
 * signal and lets go of the service key.
 */
export async function buildApp(deps: ServiceDependencies, config: IdopteBridgeConfig): Promise<BuiltService> {
  const configurations = await ReloadableIdopteConfiguration.open(
    idopteFilesOf(config),
    { signingThreads: config.idopteSigningThreads },
    deps.logger,
  );
  const marks = storedChallengeMarks(deps.store, config.idopteChallengeLifetime * 1000);
  const rateLimit = new ChallengeRateLimit(deps.store, config.idopteChallengeRateLimit, config.idopteChallengeRateWindow * 1000);
  const { app } = createServiceApp({ ...deps, directRoutes: idopteRoutes({ configurations, marks, rateLimit }) });
  const stopReloading = reloadOnSighup(configurations);
  return {
    app,
    close: async () => {
      stopReloading();
      await configurations.close();
    },
  };
}
