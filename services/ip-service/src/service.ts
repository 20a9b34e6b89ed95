import { defineService } from '@sigil/service-kit';
import { buildApp, type IpServiceOptions } from './app.js';
import { settings } from './config.js';

/** The ip-service, with a clock of its own (tests); `ipServiceService` uses the system clock. */
export function ipService(options: IpServiceOptions = {}) {
  return defineService({ name: 'ip-service', settings, build: (deps, config) => buildApp(deps, config, options) });
}

export const ipServiceService = ipService();
