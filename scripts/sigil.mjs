#!/usr/bin/env node
// The one entry point behind every root script (`npm run dev`, `npm test`, …).
//
// It makes a fresh machine that has only Node and npm ready, then runs the
// command: Sigil targets Node 22 LTS, so where the machine's Node is older it
// installs the `node-<platform>-<arch>@22` registry package into
// .sigil/toolchain and puts it first on PATH (the system's Node is left
// alone); it installs pnpm there too when it is missing, and installs the
// workspace's dependencies from the lockfile when they are out of date.
// Written for any Node >= 18 so that it can run before the toolchain exists.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const toolchain = join(root, '.sigil', 'toolchain');
const NODE_MAJOR = 22;
const PNPM_VERSION = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];

const jest = ['node', '--experimental-vm-modules', '--no-warnings=ExperimentalWarning', 'node_modules/jest/bin/jest.js'];

/** What each root script runs once the toolchain is ready. */
const commands = {
  dev: () => ['pnpm', '-r', '--parallel', 'dev'],
  demo: (args) => ['pnpm', '--filter', '@sigil/demo', 'demo', ...args],
  build: () => ['pnpm', 'exec', 'tsc', '-b'],
  check: () => ['sh', '-c', 'pnpm exec tsc -b && pnpm exec tsc -p tsconfig.tests.json && pnpm exec tsc -p deploy/tsconfig.json && pnpm exec dpdm --no-warning --no-tree --exit-code circular:1 -T "packages/*/src/**/*.ts" "services/*/src/**/*.ts"'],
  lint: () => ['pnpm', 'exec', 'eslint', '--max-warnings=0', '.'],
  // --forceExit: a handle a test forgot to close must not hold CI until its time limit.
  test: (args) => [...jest, '--forceExit', '--json', '--outputFile=.sigil/test-results.json', ...args],
  settings: () => ['pnpm', 'exec', 'tsx', '--conditions=sigil-source', 'scripts/settings-tables.ts'],
  // Every benchmark runs even when an earlier one misses its target; the exit code says whether any did.
  bench: () => ['sh', '-c', 'status=0; pnpm -r --no-bail --workspace-concurrency=1 --if-present bench || status=1; { pnpm exec tsc -b && node bench/idle-memory.mjs; } || status=1; exit $status'],
};

function run(argv, opts = {}) {
  const result = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit', cwd: root, env: process.env, ...opts });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function quiet(argv) {
  const result = spawnSync(argv[0], argv.slice(1), { cwd: root, env: process.env, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

function prependPath(dir) {
  process.env.PATH = `${dir}${delimiter}${process.env.PATH}`;
}

function npmInstallTool(spec) {
  mkdirSync(toolchain, { recursive: true });
  if (!existsSync(join(toolchain, 'package.json'))) writeFileSync(join(toolchain, 'package.json'), '{"private":true}\n');
  console.error(`sigil: installing ${spec} into .sigil/toolchain`);
  const status = run(['npm', 'install', '--no-audit', '--no-fund', '--loglevel=error', '--prefix', toolchain, spec]);
  if (status !== 0) throw new Error(`could not install ${spec}`);
}

function ensureNode() {
  if (Number(process.versions.node.split('.')[0]) >= NODE_MAJOR) return;
  const pkg = `node-${process.platform}-${process.arch}`;
  const bin = join(toolchain, 'node_modules', pkg, 'bin');
  if (!existsSync(join(bin, 'node'))) npmInstallTool(`${pkg}@${NODE_MAJOR}`);
  prependPath(bin);
}

function ensurePnpm() {
  prependPath(join(toolchain, 'node_modules', '.bin'));
  if (quiet(['pnpm', '--version']) === PNPM_VERSION) return;
  npmInstallTool(`pnpm@${PNPM_VERSION}`);
}

/** Installs from the lockfile when the lockfile or a manifest changed since the last install. */
function ensureDependencies() {
  const hash = createHash('sha256');
  for (const file of [
    'pnpm-lock.yaml',
    'pnpm-workspace.yaml',
    'package.json',
    ...['packages', 'services'].flatMap((dir) => listManifests(dir)),
  ]) {
    const path = join(root, file);
    if (existsSync(path)) hash.update(file).update(readFileSync(path));
  }
  hash.update(process.version);
  const stamp = join(root, 'node_modules', '.sigil-install-stamp');
  const digest = hash.digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return;
  const frozen = existsSync(join(root, 'pnpm-lock.yaml')) ? ['--frozen-lockfile'] : [];
  const status = run(['pnpm', 'install', ...frozen]);
  if (status !== 0) process.exit(status);
  writeFileSync(stamp, digest);
}

function listManifests(dir) {
  const base = join(root, dir);
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .map((name) => join(dir, name, 'package.json'))
    .filter((file) => existsSync(join(root, file)));
}

const [command = 'test', ...args] = process.argv.slice(2);
if (!(command in commands)) {
  console.error(`sigil: unknown command '${command}'. One of: ${Object.keys(commands).join(', ')}`);
  process.exit(2);
}
ensureNode();
ensurePnpm();
ensureDependencies();
mkdirSync(join(root, '.sigil'), { recursive: true });
process.exit(run(commands[command](args)));
