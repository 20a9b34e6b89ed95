import type { Manifest } from './manifest.js';
import { startLocally } from './local-services.js';

interface ProbedContainer {
  readinessProbe?: { httpGet?: { path?: string } };
  livenessProbe?: { httpGet?: { path?: string } };
  startupProbe?: { httpGet?: { path?: string } };
}

/** Every HTTP path the Deployments probe, by Deployment name. */
export function probedPaths(objects: readonly Manifest[]): Map<string, Set<string>> {
  const paths = new Map<string, Set<string>>();
  for (const object of objects) {
    if (object.kind !== 'Deployment') continue;
    const containers = (object as Manifest & { spec: { template: { spec: { containers: ProbedContainer[] } } } }).spec.template.spec.containers;
    const set = paths.get(object.metadata.name) ?? new Set<string>();
    for (const container of containers) {
      for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
        if (probe?.httpGet) set.add(probe.httpGet.path ?? '/');
      }
    }
    paths.set(object.metadata.name, set);
  }
  return paths;
}

/**
 * Asks each service which of the paths the manifests probe it answers with
 * 200: the service is started in this process and each path requested.
 */
export async function servedProbePaths(manifestSets: readonly (readonly Manifest[])[], services: readonly string[]): Promise<Map<string, string[]>> {
  const probed = new Map<string, Set<string>>();
  for (const objects of manifestSets) {
    for (const [name, paths] of probedPaths(objects)) probed.set(name, new Set([...(probed.get(name) ?? []), ...paths]));
  }
  const served = new Map<string, string[]>();
  for (const name of services) {
    const service = await startLocally(name);
    try {
      const answered: string[] = [];
      for (const path of probed.get(name) ?? []) {
        const res = await fetch(`${service.running.url}${path}`);
        await res.arrayBuffer();
        if (res.status === 200) answered.push(path);
      }
      served.set(name, answered);
    } finally {
      await service.stop();
    }
  }
  return served;
}
