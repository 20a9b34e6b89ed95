import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeWhen } from '@sigil/testkit';
import type { Manifest } from '../../checks/manifest.js';
import { kubectlPath, renderKustomization } from '../../checks/render.js';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');
export const deployDir = `${repoRoot}/deploy`;

/** Every service of the repository (a folder of services/ with a package.json). */
export const SERVICES = readdirSync(`${repoRoot}/services`).filter((name) => existsSync(`${repoRoot}/services/${name}/package.json`));

export const OVERLAYS = ['dev', 'production'] as const;
export type Overlay = (typeof OVERLAYS)[number];

const kubectl = kubectlPath();

/** `describe` for tests that render with kubectl: under CI=true a missing kubectl fails. */
export const describeWithKubectl = describeWhen(kubectl !== undefined, 'kubectl (Debian package kubectl)');

const rendered = new Map<string, Manifest[]>();

/** The objects `kubectl kustomize deploy/k8s/overlays/<overlay>` renders (once per test file). */
export function renderOverlay(overlay: Overlay | 'base'): Manifest[] {
  const dir = overlay === 'base' ? `${deployDir}/k8s/base` : `${deployDir}/k8s/overlays/${overlay}`;
  let objects = rendered.get(dir);
  if (objects === undefined) {
    objects = renderKustomization(dir, kubectl);
    rendered.set(dir, objects);
  }
  return objects;
}

export function find<T = Manifest>(objects: readonly Manifest[], kind: string, name: string): T | undefined {
  return objects.find((object) => object.kind === kind && object.metadata.name === name) as T | undefined;
}
