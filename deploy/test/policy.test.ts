import type { SettingsSchema } from '@sigil/service-kit';
import { loadSettings } from '../checks/local-services.js';
import { checkManifests } from '../checks/manifest-policy.js';
import { servedProbePaths } from '../checks/probe-paths.js';
import { checkServiceSettings } from '../checks/service-settings.js';
import { OVERLAYS, SERVICES, describeWithKubectl, renderOverlay } from './support/overlays.js';

describeWithKubectl('the deployment policy', () => {
  // The paths each service really answers with 200, asked of the service itself.
  let served = new Map<string, string[]>();
  const schemas = new Map<string, SettingsSchema>();

  beforeAll(async () => {
    for (const name of SERVICES) schemas.set(name, await loadSettings(name));
    served = await servedProbePaths(OVERLAYS.map((overlay) => renderOverlay(overlay)), SERVICES);
  }, 120_000);

  it.each(OVERLAYS)('holds for every workload of overlays/%s', (overlay) => {
    expect(checkManifests(renderOverlay(overlay), { servedPaths: (name) => served.get(name) })).toEqual([]);
  });

  it.each(OVERLAYS)("matches each service's settings schema in overlays/%s", (overlay) => {
    expect(checkServiceSettings(renderOverlay(overlay), schemas)).toEqual([]);
  });

  it('probes /healthz for liveness and /readyz for readiness, which every service answers', () => {
    for (const name of SERVICES) expect(served.get(name)?.sort()).toEqual(['/healthz', '/readyz']);
  });
});
