import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `<repo>/.sigil/ip-service`: found from this file's own place
 * (`services/ip-service/{src,dist}/setup/`), so it is the same directory
 * whether the service runs from sources or from its build.
 */
export function defaultKeysDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return resolve(here, '..', '..', '..', '..', '.sigil', 'ip-service');
}

/**
 * The file's content, creating it with `create()` the first time. Several
 * processes may start at once: each writes a temporary file and hard-links it
 * into place, which fails for all but the first, and the others read the
 * winner's file. Returns whether this call created it.
 */
export function readOrCreateFile(path: string, create: () => string): { content: string; created: boolean } {
  if (existsSync(path)) return { content: readFileSync(path, 'utf8'), created: false };
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  writeFileSync(temporary, create(), { mode: 0o600 });
  let created = true;
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    created = false;
  } finally {
    unlinkSync(temporary);
  }
  return { content: readFileSync(path, 'utf8'), created };
}
