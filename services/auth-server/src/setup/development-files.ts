import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `<repo>/.sigil/auth-server`: the repository root is the nearest directory
 * above this file that holds `pnpm-workspace.yaml` (the same from `src/` and
 * from `dist/`).
 */
export function defaultKeysDir(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(directory, 'pnpm-workspace.yaml'))) return join(directory, '.sigil', 'auth-server');
    const parent = dirname(directory);
    if (parent === directory) throw new Error('cannot find the repository root (pnpm-workspace.yaml) above auth-server');
    directory = parent;
  }
}

export interface DevelopmentFile {
  readonly text: string;
  /** True when this call generated the file (the caller says so in its log). */
  readonly created: boolean;
}

/**
 * Reads a development file, generating it first when it does not exist.
 * Creation is atomic even when several replicas start at once: the content
 * is written to a private temporary file and hard-linked into place, which
 * fails if another process got there first (whose file is then read).
 */
export async function readOrCreateDevelopmentFile(path: string, generate: () => string): Promise<DevelopmentFile> {
  try {
    return { text: await readFile(path, 'utf8'), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, generate(), { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, path);
    return { text: await readFile(path, 'utf8'), created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { text: await readFile(path, 'utf8'), created: false };
  } finally {
    await unlink(temporary);
  }
}
