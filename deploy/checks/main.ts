// The manifest checks from the command line (the jest project deploy/ runs
// the same checks, plus tests of the checks themselves):
//
//   pnpm exec tsx --conditions=sigil-source deploy/checks/main.ts [dev|production ...]
//
// Renders each overlay with `kubectl kustomize`, validates every object
// against the Kubernetes API schema, applies the deployment policy (probing
// each service for the paths its probes use) and checks each service's
// settings against its schema. Prints every finding; exits 1 if any.
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SettingsSchema } from '@sigil/service-kit';
import { validateAllAgainstApiSchema } from './api-schema.js';
import { loadSettings } from './local-services.js';
import { checkManifests } from './manifest-policy.js';
import { servedProbePaths } from './probe-paths.js';
import { renderKustomization } from './render.js';
import { checkServiceSettings } from './service-settings.js';

const print = (line: string) => process.stdout.write(`${line}\n`);
const root = fileURLToPath(new URL('../../', import.meta.url));
const requested = process.argv.slice(2);
const overlays = requested.length > 0 ? requested : ['dev', 'production'];
const services = readdirSync(`${root}services`).filter((name) => existsSync(`${root}services/${name}/package.json`));

const rendered = overlays.map((overlay) => ({ overlay, objects: renderKustomization(`${root}deploy/k8s/overlays/${overlay}`) }));
const schemas = new Map<string, SettingsSchema>();
for (const name of services) schemas.set(name, await loadSettings(name));
const served = await servedProbePaths(rendered.map(({ objects }) => objects), services);

let failed = 0;
for (const { overlay, objects } of rendered) {
  const findings = [
    ...(await validateAllAgainstApiSchema(objects)).map((finding) => `schema ${finding.object}: ${finding.problems.join('; ')}`),
    ...checkManifests(objects, { servedPaths: (name) => served.get(name) }).map((violation) => `policy ${violation.rule} ${violation.object}: ${violation.detail}`),
    ...checkServiceSettings(objects, schemas).map((problem) => `settings ${problem}`),
  ];
  if (findings.length > 0) failed++;
  print(`overlays/${overlay}: ${objects.length} objects, ${findings.length === 0 ? 'ok' : `${findings.length} findings`}`);
  for (const finding of findings) print(`  ${finding}`);
}
print(`manifest checks: ${rendered.length - failed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
