#!/usr/bin/env node
// Starts every service from its built output (as production would), waits
// until it answers /readyz and has been idle for a moment, and prints its
// resident memory. Target: at most 120 MB each. Needs `pnpm build` first.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';

const LIMIT_MB = 120;
const services = readdirSync('services').filter((name) => existsSync(join('services', name, 'dist', 'main.js')));
if (services.length === 0) {
  console.error('idle-memory: no built services; run `pnpm build` first');
  process.exit(1);
}

function residentMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

async function measure(name, port) {
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: join('services', name),
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'development' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (Date.now() > deadline) throw new Error(`${name} did not become ready`);
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
      if (ok) break;
      await sleep(100);
    }
    await sleep(2000);
    return residentMb(child.pid);
  } finally {
    child.kill('SIGTERM');
  }
}

let failed = false;
let port = 14600;
for (const name of services) {
  const mb = await measure(name, port++);
  const ok = mb <= LIMIT_MB;
  failed ||= !ok;
  console.log(`idle memory ${name.padEnd(14)} ${mb.toFixed(1).padStart(6)} MB (limit ${LIMIT_MB} MB) ${ok ? 'ok' : 'OVER'}`);
}
process.exit(failed ? 1 : 0);
