import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Wallet } from 'ethers';
import { ConfigError } from '@sigil/service-kit';
import { parseApps } from '../../src/setup/apps-file.js';
import { loadControllerKey } from '../../src/setup/controller-keys.js';

const key = Wallet.createRandom();
const entry = {
  appERC725Address: Wallet.createRandom().address.toLowerCase(),
  controllerPrivateKey: key.privateKey,
  audiences: ['https://a.example'],
  rpcUrl: 'http://127.0.0.1:8545',
  chainId: 31337,
};

function refusal(apps: unknown): ConfigError {
  try {
    parseApps(JSON.stringify(apps), 'apps.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('accepted');
}

describe('the apps file (IP_APPS_FILE)', () => {
  it('reads entries, checksums addresses and fills default lifetimes', () => {
    const [app] = parseApps(JSON.stringify([entry]), 'apps.json');
    expect(app).toMatchObject({ appERC725Address: expect.stringMatching(/^0x[0-9a-fA-F]{40}$/), tokenTtlSeconds: 600, refreshTtlSeconds: 86_400 });
    expect(app!.appERC725Address.toLowerCase()).toBe(entry.appERC725Address);
    expect(app!.appERC725Address).not.toBe(entry.appERC725Address);
  });

  it.each([
    ['not an array', { ...entry }, 'apps '],
    ['empty', [], 'at least one app'],
    ['a bad address', [{ ...entry, appERC725Address: '0x1234' }], 'apps[0].appERC725Address'],
    ['no audiences', [{ ...entry, audiences: [] }], 'apps[0].audiences'],
    ['a bad rpcUrl', [{ ...entry, rpcUrl: 'ftp://x' }], 'apps[0].rpcUrl'],
    ['a chainId that is text', [{ ...entry, chainId: '1' }], 'apps[0].chainId'],
    ['an unknown member', [{ ...entry, controllerKey: 'x' }], 'apps[0]'],
    ['both key members', [{ ...entry, controllerKeyUri: '/k' }], 'exactly one of controllerPrivateKey and controllerKeyUri'],
    ['neither key member', [{ ...entry, controllerPrivateKey: undefined }], 'exactly one'],
    ['a duplicate app', [entry, entry], 'apps[1].appERC725Address is listed twice'],
  ])('refuses %s, naming where', (_what, apps, where) => {
    expect(refusal(apps).message).toContain(where);
  });

  it('never quotes a private key it refuses', () => {
    const secret = `${key.privateKey}ff`;
    const error = refusal([{ ...entry, controllerPrivateKey: secret }]);
    expect(error.message).toContain('apps[0].controllerPrivateKey');
    expect(error.message).not.toContain(secret.slice(2, 20));
  });

  it('refuses text that is not JSON', () => {
    expect(() => parseApps('[{', 'apps.json')).toThrow(ConfigError);
  });
});

describe('controller keys from files (controllerKeyUri)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigil-ip-controller-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const base = { ...entry, controllerPrivateKey: undefined, tokenTtlSeconds: 600, refreshTtlSeconds: 86_400 };

  it('reads a hex key from a path or a file: URL', async () => {
    const path = join(dir, 'controller.hex');
    writeFileSync(path, `${key.privateKey.slice(2)}\n`);
    expect((await loadControllerKey({ ...base, controllerKeyUri: path }, 0)).address).toBe(key.address);
    expect((await loadControllerKey({ ...base, controllerKeyUri: pathToFileURL(path).href }, 0)).address).toBe(key.address);
  });

  it('reads a secp256k1 PEM private key', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    const path = join(dir, 'controller.pem');
    writeFileSync(path, privateKey.export({ type: 'sec1', format: 'pem' }));
    const d = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url').toString('hex');
    expect((await loadControllerKey({ ...base, controllerKeyUri: path }, 0)).address).toBe(new Wallet(`0x${d}`).address);
  });

  it('refuses a missing file, or one holding something else, naming the entry', async () => {
    const other = join(dir, 'p256.pem');
    writeFileSync(other, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    for (const controllerKeyUri of [join(dir, 'missing'), other]) {
      await expect(loadControllerKey({ ...base, controllerKeyUri }, 3)).rejects.toThrow(/apps\[3\]\.controllerKeyUri/);
    }
  });
});
