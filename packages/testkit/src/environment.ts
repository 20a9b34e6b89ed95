import { createConnection } from 'node:net';

/** The Redis every integration test uses: `REDIS_URL`, or the local default. */
export function redisUrl(): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** A key prefix no other test file shares, so files never see each other's keys. */
export function testKeyPrefix(label = 'test'): string {
  return `sigil-test:${label}:${process.pid}-${Math.random().toString(36).slice(2, 10)}:`;
}

export function runningInCi(): boolean {
  return process.env.CI === 'true';
}

/** True when something accepts TCP connections at the host and port of a URL. */
export function reachable(url: string, timeoutMs = 500): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port) || 6379 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * The `describe` to use for tests that need an outside component (Redis,
 * SoftHSM, slapd, Chromium). Under `CI=true` a missing component fails the
 * test file outright, so nothing is silently skipped there; on a developer's
 * machine the suite is skipped with the reason printed.
 */
export function describeWhen(available: boolean, component: string): typeof describe | typeof describe.skip {
  if (available) return describe;
  const reason = `${component} is not available`;
  if (runningInCi()) throw new Error(`${reason}, and CI=true forbids skipping its tests`);
  process.stderr.write(`skipping: ${reason}\n`);
  return describe.skip;
}

/** `describe` for tests that need the real Redis at `redisUrl()`. */
export async function describeWithRedis(): Promise<typeof describe | typeof describe.skip> {
  return describeWhen(await reachable(redisUrl()), `Redis at ${redisUrl()}`);
}
