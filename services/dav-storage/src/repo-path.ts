import { fileURLToPath } from 'node:url';
import { REPO_PLACEHOLDER } from './config.js';

/** The repository root, found from this file's place in it (src/ and dist/ sit at the same depth). */
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');

/** Resolves a development default written as `<repo>/…` to a path inside this checkout. */
export function resolveRepoPath(path: string): string {
  return path.startsWith(`${REPO_PLACEHOLDER}/`) ? `${REPO_ROOT}${path.slice(REPO_PLACEHOLDER.length)}` : path;
}
