import { X509Certificate } from 'node:crypto';
import { createLogger, createServiceApp, startService, type RunningService } from '@sigil/service-kit';
import { createStore } from '@sigil/store';
import { MiddlewareSimulator, publicKeysFile } from '@sigil/stand-ins';
import { createSoftHsmToken, describeWhen, fixtureKey, softHsmAvailable, startHttp, type SoftHsmToken } from '@sigil/testkit';
import { ReloadableIdopteConfiguration } from '../../src/configuration/reloadable-configuration.js';
import { idopteRoutes } from '../../src/http/idopte-routes.js';
import { idopteBridgeService } from '../../src/service.js';
import { storedChallengeMarks } from '../../src/store/challenge-marks.js';
import { ChallengeRateLimit } from '../../src/store/challenge-rate-limit.js';
import { writeIdopteFiles, type IdopteFileSet } from '../support/idopte-files.js';
import { sendCommand } from '../support/idopte-client.js';

const describeToken = describeWhen(softHsmAvailable(), 'SoftHSM2');
const simulator = new MiddlewareSimulator([fixtureKey('RSA-2048', 'token-middleware-a'), fixtureKey('RSA-4096', 'token-middleware-b')]);
const serviceKey = fixtureKey('RSA-2048', 'token-service');

describeToken('the service key on a PKCS#11 token (SoftHSM2)', () => {
  let token: SoftHsmToken;
  let files: IdopteFileSet;
  let certificate: X509Certificate;
  let running: RunningService;
  let tokenFiles: { publicKeys: string; serviceKey: string; serviceCert: string };

  beforeAll(async () => {
    token = await createSoftHsmToken([{ label: 'idopte-service', privateKeyPem: serviceKey.privateKeyPem }]);
    files = writeIdopteFiles({ publicKeys: publicKeysFile(simulator.keys), serviceKey });
    certificate = new X509Certificate(files.certificateBytes);
    tokenFiles = { publicKeys: files.publicKeys, serviceKey: token.uri('idopte-service'), serviceCert: files.serviceCert };
    running = await startService(idopteBridgeService, {
      env: {
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        IDOPTE_PUBLIC_KEYS: tokenFiles.publicKeys,
        IDOPTE_SERVICE_KEY: tokenFiles.serviceKey,
        IDOPTE_SERVICE_CERT: tokenFiles.serviceCert,
      },
    });
  });

  afterAll(async () => {
    await running?.close();
    files?.remove();
    await token?.remove();
  });

  it.each([0, 1])('signs with CKM_RSA_PKCS a server challenge that the certificate verifies (middleware key %i)', async (pubkeyId) => {
    for (const format of ['json', 'msgpack'] as const) {
      const handshake = simulator.handshake(pubkeyId);
      const reply = await sendCommand(running.url, 'idopte_challenge', handshake, format);
      expect(reply.body.status).toBe('ok');
      expect(simulator.acceptsServerSignature(certificate.publicKey, handshake.server_challenge, reply.body.server_signature as Buffer)).toBe(true);
    }
  });

  it('answers invalid_server_challenge before asking the token to sign what it cannot', async () => {
    const reply = await sendCommand(running.url, 'idopte_challenge', simulator.handshake(0, { serverChallengeLength: 246 }));
    expect(reply.body).toEqual({ status: 'invalid_server_challenge' });
  });

  it('answers 503 when the token cannot sign, and the challenge stays usable once it can', async () => {
    // The app assembled from its parts, so the test can pull the token from under it.
    const logger = createLogger('idopte-bridge', 'silent');
    const store = createStore({ prefix: 'idopte-token-failure:' });
    const configurations = await ReloadableIdopteConfiguration.open(tokenFiles, { signingThreads: 1 }, logger);
    const { app } = createServiceApp({
      name: 'idopte-bridge',
      logger,
      store,
      publicUrl: 'http://localhost',
      directRoutes: idopteRoutes({ configurations, marks: storedChallengeMarks(store, 60_000), rateLimit: new ChallengeRateLimit(store, 100, 60_000) }),
    });
    const server = await startHttp(app);
    try {
      const lease = configurations.acquire();
      await lease.configuration!.serviceKey.signer.close?.(); // what a token that went away looks like
      lease.release();
      const handshake = simulator.handshake(0);
      const refused = await sendCommand(server.url, 'idopte_challenge', handshake);
      expect(refused.status).toBe(503);
      expect(refused.body.type).toBe('urn:sigil:problem:service-key-unavailable');
      expect(refused.headers.get('retry-after')).toBe('1');

      expect(await configurations.reload()).toBe(true);
      const reply = await sendCommand(server.url, 'idopte_challenge', handshake);
      expect(reply.body.status).toBe('ok');
      expect(simulator.acceptsServerSignature(certificate.publicKey, handshake.server_challenge, reply.body.server_signature as Buffer)).toBe(true);
    } finally {
      await server.close();
      await configurations.close();
      await store.close();
    }
  });

  it('keeps a replaced token session open for the requests that use it, and closes it after the last', async () => {
    const configurations = await ReloadableIdopteConfiguration.open(tokenFiles, { signingThreads: 1 }, createLogger('idopte-bridge', 'silent'));
    const inFlight = configurations.acquire();
    expect(await configurations.reload()).toBe(true);
    const signer = inFlight.configuration!.serviceKey.signer;
    await expect(signer.sign(Buffer.from('in flight'))).resolves.toHaveLength(256);
    inFlight.release();
    await expect(signer.sign(Buffer.from('too late'))).rejects.toMatchObject({ code: 'ERR_PKCS11_SIGNER_CLOSED' });
    const current = configurations.acquire();
    await expect(current.configuration!.serviceKey.signer.sign(Buffer.from('the new session'))).resolves.toHaveLength(256);
    current.release();
    await configurations.close();
  });
});

