import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('./fixtures/echo-main.ts', import.meta.url));

/** Starts the fixture service as a real process and waits for its "listening" line. */
async function startProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--conditions=sigil-source', '--import', 'tsx', main], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"port":(\d+)/.exec(output);
      if (match) resolve(`http://127.0.0.1:${match[1]}`);
    });
    child.once('exit', () => reject(new Error(`exited early: ${output}`)));
  });
  return { child, url, output: () => output };
}

describe('a service process', () => {
  it('drains in-flight requests on SIGTERM, refuses new ones, and exits 0', async () => {
    const { child, url, output } = await startProcess({ DELAY_MS: '600' });
    const inFlight = fetch(`${url}/slow`);
    await new Promise((resolve) => setTimeout(resolve, 150));
    child.kill('SIGTERM');
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ slow: true });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    expect(output()).toContain('"msg":"stopped"');
  });

  it('stops at start-up with one line naming a bad setting', async () => {
    const child = spawn(process.execPath, ['--conditions=sigil-source', '--import', 'tsx', main], {
      env: { ...process.env, PORT: 'eighty' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^echo: PORT: .*'eighty'/);
  });
});
