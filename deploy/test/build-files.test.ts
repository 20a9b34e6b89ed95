import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { SERVICES, deployDir, repoRoot } from './support/overlays.js';

// The Dockerfile and the workflows cannot run here (no container engine, no
// GitHub); these tests keep them consistent with the repository instead.

const read = (path: string) => readFileSync(`${repoRoot}/${path}`, 'utf8');
const dockerfile = readFileSync(`${deployDir}/Dockerfile`, 'utf8');
/** Instructions with their continuation lines joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));

describe('deploy/Dockerfile', () => {
  const nodeImage = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1] ?? '';

  it('builds on the Node LTS of .nvmrc, pinned to a release of a slim image', () => {
    expect(nodeImage).toMatch(/^node:\d+\.\d+\.\d+-[a-z]+-slim$/);
    expect(nodeImage.split(':')[1]!.split('.')[0]).toBe(read('.nvmrc').trim());
    const stages = instructions.filter((line) => line.startsWith('FROM '));
    expect(stages).toEqual(['FROM ${NODE_IMAGE} AS build', 'FROM ${NODE_IMAGE} AS runtime']);
  });

  it("installs the pnpm of package.json's packageManager", () => {
    const pnpm = /^ARG PNPM_VERSION=(\S+)$/m.exec(dockerfile)?.[1];
    expect(`pnpm@${pnpm}`).toBe((JSON.parse(read('package.json')) as { packageManager: string }).packageManager);
  });

  it('installs from the lockfile, builds, and deploys only the chosen service with production dependencies', () => {
    const run = instructions.filter((line) => line.startsWith('RUN ')).join('\n');
    expect(run).toContain('pnpm install --offline --frozen-lockfile');
    expect(run).toContain('pnpm exec tsc -b "services/${SERVICE}"');
    expect(run).toMatch(/pnpm --filter "@sigil\/\$\{SERVICE\}" .*deploy --prod --legacy \/out/);
  });

  it('runs node directly as a numeric non-root user, in production mode', () => {
    const runtime = instructions.slice(instructions.indexOf('FROM ${NODE_IMAGE} AS runtime'));
    expect(runtime).toContain('ENV NODE_ENV=production');
    const user = runtime.find((line) => line.startsWith('USER '));
    expect(user).toMatch(/^USER [1-9]\d*:[1-9]\d*$/);
    expect(runtime.at(-1)).toBe('ENTRYPOINT ["node", "dist/main.js"]');
    expect(runtime.some((line) => line.startsWith('COPY --from=build') && line.includes('/out /app'))).toBe(true);
  });

  it('keeps local build output, dependencies and state out of the build context', () => {
    const ignored = readFileSync(`${deployDir}/Dockerfile.dockerignore`, 'utf8').split('\n');
    for (const entry of ['**/node_modules', '**/dist', '.sigil', '.git']) expect(ignored).toContain(entry);
  });
});

describe('package "files"', () => {
  it.each([...SERVICES.map((name) => `services/${name}`), 'packages/crypto', 'packages/store', 'packages/tokens', 'packages/service-kit'])(
    '%s ships its build output and nothing else',
    (dir) => {
      const manifest = JSON.parse(read(`${dir}/package.json`)) as { files?: string[]; exports?: Record<string, { default?: string }> };
      expect(manifest.files).toContain('dist');
      expect(manifest.files?.some((entry) => /^(src|test)\b/.test(entry))).toBe(false);
      expect(manifest.exports?.['.']?.default).toMatch(/^\.\/dist\//);
    },
  );
});

describe('the GitHub workflows', () => {
  interface Step {
    uses?: string;
    run?: string;
    with?: Record<string, string>;
  }
  interface Workflow {
    on: Record<string, { tags?: string[] } | null>;
    jobs: Record<string, { strategy?: { matrix?: { service?: string[] } }; steps: Step[] }>;
  }

  it('build and push one image per service on version tags', () => {
    const workflow = parse(read('.github/workflows/images.yml')) as Workflow;
    expect(workflow.on.push?.tags).toEqual(['v*']);
    const job = Object.values(workflow.jobs)[0]!;
    expect([...(job.strategy?.matrix?.service ?? [])].sort()).toEqual([...SERVICES].sort());
    const metadata = job.steps.find((step) => step.uses?.startsWith('docker/metadata-action@'));
    expect(metadata?.with?.tags).toContain('type=semver,pattern={{version}}');
    expect(metadata?.with?.flavor).toContain('latest=false');
    const build = job.steps.find((step) => step.uses?.startsWith('docker/build-push-action@'));
    expect(build?.with).toMatchObject({ file: 'deploy/Dockerfile', context: '.', push: true });
    expect(build?.with?.['build-args']).toContain('SERVICE=${{ matrix.service }}');
  });

  it('run the manifest checks and the deploy-folder check in CI, with kubectl', () => {
    const workflow = parse(read('.github/workflows/ci.yml')) as Workflow;
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    expect(steps.some((step) => step.uses?.startsWith('azure/setup-kubectl@'))).toBe(true);
    expect(steps.some((step) => step.run?.includes('npm test'))).toBe(true);
    expect(steps.some((step) => step.run?.includes('node scripts/deploy-check.mjs'))).toBe(true);
  });
});
