import { ConfigError, loadConfig, startService } from '@sigil/service-kit';
import { publicKeysFile } from '@sigil/stand-ins';
import { fixtureKey } from '@sigil/testkit';
import { settings } from '../../src/config.js';
import { idopteFilesOf } from '../../src/configuration/idopte-files.js';
import { loadIdopteConfiguration } from '../../src/configuration/load-idopte-configuration.js';
import { idopteBridgeService } from '../../src/service.js';
import { writeIdopteFiles, type IdopteFileSet } from '../support/idopte-files.js';
import { sendCommand } from '../support/idopte-client.js';
import { ServiceProcess } from '../support/service-process.js';

const middleware = fixtureKey('RSA-2048', 'settings-middleware');
const serviceKey = fixtureKey('RSA-2048', 'settings-service');

function refusal(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

async function asyncRefusal(run: () => Promise<unknown>): Promise<ConfigError> {
  const error: unknown = await run().then(
    () => new Error('the configuration was accepted'),
    (caught: unknown) => caught,
  );
  if (error instanceof ConfigError) return error;
  throw error;
}

describe('Idopte settings', () => {
  let files: IdopteFileSet;

  beforeAll(() => {
    files = writeIdopteFiles({ publicKeys: publicKeysFile([middleware]), serviceKey });
  });
  afterAll(() => files.remove());

  const filesFrom = (env: Record<string, string>) => idopteFilesOf(loadConfig(settings, { env }).values);

  it('takes the seed\'s options as CLI flags, and serves with them', async () => {
    const running = await startService(idopteBridgeService, {
      env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
      argv: ['--idopte-public-keys', files.publicKeys, `--idopte-service-key=${files.serviceKey}`, '--idopte-service-cert', files.serviceCert],
    });
    try {
      expect((await sendCommand(running.url, 'idopte_certificate', {})).body.status).toBe('ok');
    } finally {
      await running.close();
    }
  });

  it('is off, not an error, when none of the three is set', () => {
    expect(filesFrom({})).toBeUndefined();
  });

  it.each([
    [['IDOPTE_PUBLIC_KEYS'], 'IDOPTE_SERVICE_KEY, IDOPTE_SERVICE_CERT: are required when IDOPTE_PUBLIC_KEYS is set'],
    [['IDOPTE_SERVICE_KEY'], 'IDOPTE_PUBLIC_KEYS, IDOPTE_SERVICE_CERT: are required when IDOPTE_SERVICE_KEY is set'],
    [['IDOPTE_PUBLIC_KEYS', 'IDOPTE_SERVICE_KEY'], 'IDOPTE_SERVICE_CERT: is required when IDOPTE_PUBLIC_KEYS and IDOPTE_SERVICE_KEY are set'],
  ])('refuses a partial configuration (%j set) naming what is missing', (given, message) => {
    const env = Object.fromEntries(given.map((name) => [name, files.env()[name]!]));
    const error = refusal(() => filesFrom(env));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(message);
  });

  it('stops the process at start-up with one line when the configuration is partial', async () => {
    const service = new ServiceProcess({ IDOPTE_PUBLIC_KEYS: files.publicKeys });
    expect(await service.exited).toBe(1);
    expect(service.stderr).toBe(
      'idopte-bridge: IDOPTE_SERVICE_KEY, IDOPTE_SERVICE_CERT: are required when IDOPTE_PUBLIC_KEYS is set (Idopte needs all three)\n',
    );
  });

  it.each([
    ['an unreadable public keys file', { publicKeys: '/nonexistent/keys.pem' }, 'IDOPTE_PUBLIC_KEYS', /cannot read \/nonexistent\/keys.pem \(ENOENT\)/],
    ['an unreadable certificate', { serviceCert: '/nonexistent/cert.pem' }, 'IDOPTE_SERVICE_CERT', /ENOENT/],
    ['a service key file that is missing', { serviceKey: '/nonexistent/key.pem' }, 'IDOPTE_SERVICE_KEY', /cannot read \/nonexistent\/key.pem \(ENOENT\)/],
    ['a service key file holding no private key', { serviceKey: 'public-key.pem' }, 'IDOPTE_SERVICE_KEY', /no PEM private key block/],
    ['a token URI naming no key', { serviceKey: 'pkcs11:token=absent?module-path=/nonexistent/module.so' }, 'IDOPTE_SERVICE_KEY', /ERR_PKCS11_URI_INVALID/],
    ['a service key given inline', { serviceKey: serviceKey.privateKeyPem }, 'IDOPTE_SERVICE_KEY', /not the key itself/],
    ['a service key that is not RSA', { serviceKey: 'ec-key.pem' }, 'IDOPTE_SERVICE_KEY', /ERR_KEY_ALGORITHM_MISMATCH/],
    ['an empty certificate', { serviceCert: 'empty-cert' }, 'IDOPTE_SERVICE_CERT', /is empty/],
    ['a public keys file with a certificate in it', { publicKeys: 'cert-in-keys.pem' }, 'IDOPTE_PUBLIC_KEYS', /"CERTIFICATE"; only/],
  ])('refuses %s, naming the setting', async (_what, override: Record<string, string>, setting, reason) => {
    const written: Record<string, string> = {
      'ec-key.pem': files.write('ec-key.pem', fixtureKey('P-256', 'settings-ec').privateKeyPem),
      'empty-cert': files.write('empty-cert', ''),
      'public-key.pem': files.write('public-key.pem', middleware.publicKeyPem),
      'cert-in-keys.pem': files.write('cert-in-keys.pem', `${publicKeysFile([middleware])}${files.certificateBytes.toString()}`),
    };
    const paths = Object.fromEntries(Object.entries(override).map(([name, value]) => [name, written[value] ?? value]));
    const error = await asyncRefusal(() => loadIdopteConfiguration({ publicKeys: files.publicKeys, serviceKey: files.serviceKey, serviceCert: files.serviceCert, ...paths }, { signingThreads: 1 }));
    expect(error.setting).toBe(setting);
    expect(error.message).toMatch(reason);
    // Never the key itself, whatever went wrong.
    expect(error.message).not.toContain(serviceKey.privateKeyPem.split('\n')[1]!);
  });
});
