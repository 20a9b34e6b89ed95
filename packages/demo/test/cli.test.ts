import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

interface DemoProcess {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `pnpm demo <args>` as the package script runs it, in memory (no REDIS_URL), as on a fresh clone. */
function demo(...args: string[]): Promise<DemoProcess> {
  const env = { ...process.env };
  delete env.REDIS_URL;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=sigil-source', '--import', 'tsx', 'src/main.ts', ...args], { cwd: packageDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('pnpm demo', () => {
  it('runs one journey: numbered steps, its diagram with --trace, the closing table, exit 0, and the process ends by itself', async () => {
    const run = await demo('idopte', '--trace');
    expect(run.stderr).toContain('ready: idopte-bridge');
    expect(run.stdout).toContain('Idopte — mutual authentication');
    expect(run.stdout).toMatch(/ {3}1\. web client → idopte-bridge: idopte_certificate — status ok/);
    expect(run.stdout).toContain('```mermaid\nsequenceDiagram\n');
    expect(run.stdout).toContain('web_client->>idopte_bridge: POST /anonymous/idopte_challenge');
    expect(run.stdout).toMatch(/journey {3}result {3}time\n-+ {3}-+ {3}-+\nidopte {4}pass {5}\d+\.\d\d s\n/);
    expect(run.stdout).toContain('The journey passed');
    expect(run.code).toBe(0);
  }, 60_000);

  it('names the step that failed, and why, and exits 1 when a service is down', async () => {
    const run = await demo('idopte', '--stop', 'idopte-bridge');
    expect(run.stderr).toContain('stopped idopte-bridge');
    expect(run.stdout).toContain('   1. web client → idopte-bridge: idopte_certificate ✗ fetch failed (ECONNREFUSED)');
    expect(run.stdout).toMatch(/idopte {4}FAIL/);
    expect(run.stdout).toContain('idopte failed at step 1 (web client → idopte-bridge: idopte_certificate): fetch failed (ECONNREFUSED)');
    expect(run.code).toBe(1);
  }, 60_000);

  it('prints its usage with --help, and refuses an unknown journey with exit 2', async () => {
    const [help, unknown] = await Promise.all([demo('--help'), demo('gropious')]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: pnpm demo [journey…] [options]');
    expect(help.stdout).toContain('--trace');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('demo: unknown journey gropious: one of gropius, wire, erc725, ocis, idopte');
  }, 30_000);
});
