import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { isManifest, type Manifest } from './manifest.js';

/** Debian's kubectl, or the first one on PATH. */
export function kubectlPath(): string | undefined {
  if (existsSync('/usr/bin/kubectl')) return '/usr/bin/kubectl';
  const which = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : undefined;
}

/** Raised when kustomize refuses a directory; the message is kubectl's own. */
export class RenderError extends Error {
  readonly code = 'KUSTOMIZE_FAILED';
}

/** Renders a kustomization (`kubectl kustomize <dir>`) into its objects. */
export function renderKustomization(dir: string, kubectl = kubectlPath()): Manifest[] {
  if (kubectl === undefined) throw new RenderError('kubectl is not installed');
  const result = spawnSync(kubectl, ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
  if (result.error) throw new RenderError(`kubectl kustomize ${dir} did not finish: ${result.error.message}`);
  if (result.status !== 0) throw new RenderError(`kubectl kustomize ${dir} failed: ${result.stderr.trim()}`);
  return parseManifests(result.stdout);
}

/** Every object of a multi-document YAML text; a document that is not an object is an error. */
export function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text).flatMap((document) => {
    if (document.errors.length > 0) throw new RenderError(document.errors[0]!.message);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) return [];
    if (!isManifest(value)) throw new RenderError(`not a Kubernetes object: ${JSON.stringify(value).slice(0, 120)}`);
    return [value];
  });
}
