// Writes each service's settings table into its README from its config schema.
// Run: pnpm exec tsx --conditions=sigil-source scripts/settings-tables.ts
// Each service's tests check that its README matches.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderSettingsTable, replaceSettingsBlock, type SettingsSchema } from '@sigil/service-kit';

for (const name of readdirSync('services')) {
  const readmePath = join('services', name, 'README.md');
  const { settings } = (await import(pathToFileURL(join('services', name, 'src', 'config.ts')).href)) as { settings: SettingsSchema };
  const readme = readFileSync(readmePath, 'utf8');
  const updated = replaceSettingsBlock(readme, renderSettingsTable(settings));
  if (updated !== readme) {
    writeFileSync(readmePath, updated);
    console.log(`updated ${readmePath}`);
  }
}
