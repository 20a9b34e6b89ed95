import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolvePkcs11Pin } from '../src/pkcs11-pin.js';

const unavailable = expect.objectContaining({ code: 'ERR_PKCS11_PIN_UNAVAILABLE' });

describe('resolvePkcs11Pin', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'sigil-pin-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('prefers pin-value, then pin-source, then the option', async () => {
    expect(await resolvePkcs11Pin({ pinValue: '1111' }, { pin: '2222' })).toBe('1111');
    expect(await resolvePkcs11Pin({}, { pin: '2222' })).toBe('2222');
    expect(await resolvePkcs11Pin({})).toBeUndefined();
  });

  it('reads file: sources in both URI spellings, dropping one trailing newline', async () => {
    const path = join(directory, 'pin');
    await writeFile(path, '4321\n');
    expect(await resolvePkcs11Pin({ pinSource: `file:${path}` })).toBe('4321');
    expect(await resolvePkcs11Pin({ pinSource: pathToFileURL(path).href })).toBe('4321');
  });

  it('reads env: sources (an extension to RFC 7512)', async () => {
    expect(await resolvePkcs11Pin({ pinSource: 'env:TOKEN_PIN' }, { env: { TOKEN_PIN: '9876' } })).toBe('9876');
    await expect(resolvePkcs11Pin({ pinSource: 'env:TOKEN_PIN' }, { env: {} })).rejects.toThrow(unavailable);
    await expect(resolvePkcs11Pin({ pinSource: 'env:' }, { env: {} })).rejects.toThrow(unavailable);
  });

  it('fails clearly on missing or empty files and unsupported sources', async () => {
    await expect(resolvePkcs11Pin({ pinSource: `file:${join(directory, 'absent')}` })).rejects.toThrow(unavailable);
    const empty = join(directory, 'empty');
    await writeFile(empty, '\n');
    await expect(resolvePkcs11Pin({ pinSource: `file:${empty}` })).rejects.toThrow(unavailable);
    await expect(resolvePkcs11Pin({ pinSource: '|/usr/bin/get-pin' })).rejects.toThrow(unavailable);
    await expect(resolvePkcs11Pin({ pinSource: 'https://example.com/pin' })).rejects.toThrow(unavailable);
  });
});
