import { X509Certificate } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger, startService, type RunningService } from '@sigil/service-kit';
import { MiddlewareSimulator, publicKeysFile } from '@sigil/stand-ins';
import { fixtureKey } from '@sigil/testkit';
import { reloadIdopteConfiguration } from '../../src/index.js';
import { ReloadableIdopteConfiguration } from '../../src/configuration/reloadable-configuration.js';
import { idopteBridgeService } from '../../src/service.js';
import { selfSignedCertificate, writeIdopteFiles, type IdopteFileSet } from '../support/idopte-files.js';
import { sendCommand } from '../support/idopte-client.js';
import { ServiceProcess, type LogLine } from '../support/service-process.js';

const keyA = fixtureKey('RSA-2048', 'reload-a');
const keyB = fixtureKey('RSA-2048', 'reload-b');
const simulator = new MiddlewareSimulator([keyA, keyB]);
const firstServiceKey = fixtureKey('RSA-2048', 'reload-service-1');
const secondServiceKey = fixtureKey('RSA-2048', 'reload-service-2');

/** The new configuration: key A revoked (same position), key B added, a new service key and its certificate. */
function rotate(files: IdopteFileSet): X509Certificate {
  const certificate = selfSignedCertificate(files.dir, secondServiceKey);
  files.write('idopte-public-keys.pem', publicKeysFile([keyA, keyB], [0]));
  files.write('service-key.pem', secondServiceKey.privateKeyPem);
  files.write('service-cert.pem', certificate);
  return new X509Certificate(certificate);
}

describe('reloading the Idopte files', () => {
  let files: IdopteFileSet;
  let running: RunningService;
  const logs: LogLine[] = [];

  beforeEach(async () => {
    files = writeIdopteFiles({ publicKeys: publicKeysFile([keyA]), serviceKey: firstServiceKey });
    logs.length = 0;
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(JSON.parse(chunk.toString()) as LogLine);
        done();
      },
    });
    running = await startService(idopteBridgeService, {
      env: { PORT: '0', HOST: '127.0.0.1', IDOPTE_CHALLENGE_RATE_LIMIT: '1000', ...files.env() },
      logger: createLogger('idopte-bridge', 'info', destination),
    });
  });

  afterEach(async () => {
    await running.close();
    files.remove();
  });

  it('takes new keys, service key and certificate together, keeping positions', async () => {
    expect((await sendCommand(running.url, 'idopte_challenge', simulator.handshake(1))).body.status).toBe('unknown_middleware_public_key');
    const certificate = rotate(files);
    expect(await reloadIdopteConfiguration()).toBe(true);

    expect((await sendCommand(running.url, 'idopte_challenge', simulator.handshake(0))).body.status).toBe('unknown_middleware_public_key');
    const handshake = simulator.handshake(1);
    const reply = await sendCommand(running.url, 'idopte_challenge', handshake, 'msgpack');
    expect(reply.body.status).toBe('ok');
    expect(simulator.acceptsServerSignature(certificate.publicKey, handshake.server_challenge, reply.body.server_signature as Buffer)).toBe(true);
    const served = await sendCommand(running.url, 'idopte_certificate', {});
    expect((served.body.certificate as Buffer).toString()).toBe(certificate.toString());
    expect(logs.some((line) => line.msg === 'Idopte configuration reloaded' && line.revokedMiddlewareKeys === 1)).toBe(true);
  });

  it('keeps the previous configuration, whole, when a new file is bad, and logs why', async () => {
    files.write('service-key.pem', secondServiceKey.privateKeyPem);
    files.write('idopte-public-keys.pem', '-----BEGIN PUBLIC KEY-----\nnot a key\n');
    expect(await reloadIdopteConfiguration()).toBe(false);

    const handshake = simulator.handshake(0);
    const reply = await sendCommand(running.url, 'idopte_challenge', handshake);
    expect(reply.body.status).toBe('ok');
    // Still the first service key: the good new key file was not taken alone.
    expect(simulator.acceptsServerSignature(firstServiceKey.publicKey, handshake.server_challenge, reply.body.server_signature as Buffer)).toBe(true);
    const error = logs.find((line) => line.level === 'error');
    expect(error?.msg).toBe('Idopte configuration not reloaded; the previous one stays in use');
    expect(error?.code).toBe('CONFIG_INVALID');
    expect(error?.reason).toMatch(/^IDOPTE_PUBLIC_KEYS: .*idopte-public-keys\.pem: line 2: not base64/);
  });

  it('drops no request while reloading over and over', async () => {
    rotate(files);
    files.write('idopte-public-keys.pem', publicKeysFile([keyA, keyB]));
    const requests = Array.from({ length: 30 }, (_, i) => sendCommand(running.url, 'idopte_challenge', simulator.handshake(i % 2)));
    const reloads = Array.from({ length: 5 }, () => reloadIdopteConfiguration());
    const replies = await Promise.all(requests);
    expect(await Promise.all(reloads)).toEqual([true, true, true, true, true]);
    expect(replies.map((reply) => reply.status)).toEqual(replies.map(() => 200));
    // Key B exists only in the new file: requests that leased the old configuration call it unknown, none fails.
    for (const reply of replies) expect(['ok', 'unknown_middleware_public_key']).toContain(reply.body.status);
  });

  it('lets a request finish with the configuration it started with', async () => {
    const logger = createLogger('idopte-bridge', 'silent');
    const configurations = await ReloadableIdopteConfiguration.open(
      { publicKeys: files.publicKeys, serviceKey: files.serviceKey, serviceCert: files.serviceCert },
      { signingThreads: 2 },
      logger,
    );
    const inFlight = configurations.acquire();
    rotate(files);
    expect(await configurations.reload()).toBe(true);
    const later = configurations.acquire();
    expect(later.configuration).not.toBe(inFlight.configuration);
    expect(inFlight.configuration!.middlewareKeys.find(0)).toBeDefined();
    expect(later.configuration!.middlewareKeys.find(0)).toBeUndefined();
    const signature = await inFlight.configuration!.serviceKey.signer.sign(Buffer.from('still the old key'));
    expect(simulator.acceptsServerSignature(firstServiceKey.publicKey, Buffer.from('still the old key'), signature)).toBe(true);
    inFlight.release();
    later.release();
    await configurations.close();
  });
});

describe('SIGHUP', () => {
  it('makes the service process re-read its files, and a bad file leaves it serving the old ones', async () => {
    const files = writeIdopteFiles({ publicKeys: publicKeysFile([keyA]), serviceKey: firstServiceKey });
    const service = new ServiceProcess({ ...files.env() });
    try {
      const url = await service.url();
      expect((await sendCommand(url, 'idopte_challenge', simulator.handshake(1))).body.status).toBe('unknown_middleware_public_key');

      const certificate = rotate(files);
      service.child.kill('SIGHUP');
      await service.waitForLog((line) => line.msg === 'Idopte configuration reloaded');
      const served = await sendCommand(url, 'idopte_certificate', {});
      expect((served.body.certificate as Buffer).toString()).toBe(certificate.toString());
      expect((await sendCommand(url, 'idopte_challenge', simulator.handshake(1))).body.status).toBe('ok');

      files.write('service-cert.pem', '');
      service.child.kill('SIGHUP');
      const error = await service.waitForLog((line) => line.level === 'error');
      expect(error.reason).toMatch(/^IDOPTE_SERVICE_CERT: .* is empty$/);
      expect((await sendCommand(url, 'idopte_certificate', {})).body.status).toBe('ok');
      expect((await sendCommand(url, 'idopte_challenge', simulator.handshake(1))).body.status).toBe('ok');
    } finally {
      await service.stop();
      files.remove();
    }
    expect(await service.exited).toBe(0);
  });
});
