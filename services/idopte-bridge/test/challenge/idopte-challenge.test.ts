import { startService, type RunningService } from '@sigil/service-kit';
import { createStore, type Store } from '@sigil/store';
import { MiddlewareSimulator, publicKeysFile } from '@sigil/stand-ins';
import { describeWithRedis, fixtureKey, redisUrl, testKeyPrefix } from '@sigil/testkit';
import { idopteBridgeService } from '../../src/service.js';
import { writeIdopteFiles, type IdopteFileSet } from '../support/idopte-files.js';
import { sendCommand, type Format } from '../support/idopte-client.js';

const describeRedis = await describeWithRedis();

// Positions 0 (2048 bits) and 2 (4096 bits) are live; 1 is revoked, in the middle.
const simulator = new MiddlewareSimulator([
  fixtureKey('RSA-2048', 'middleware-a'),
  fixtureKey('RSA-2048', 'middleware-revoked'),
  fixtureKey('RSA-4096', 'middleware-b'),
]);
const serviceKey = fixtureKey('RSA-2048', 'service');
const FORMATS: Format[] = ['json', 'msgpack'];

describeRedis('idopte_challenge and idopte_certificate, two replicas sharing Redis', () => {
  let files: IdopteFileSet;
  const stores: Store[] = [];
  const replicas: RunningService[] = [];
  let replica = 0;
  /** The replicas in turn, so every test runs against both. */
  const next = () => replicas[replica++ % replicas.length]!.url;

  const start = async (env: Record<string, string>, store: Store) => {
    const running = await startService(idopteBridgeService, { env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env }, store });
    replicas.push(running);
    return running;
  };
  const storeWith = (prefix: string) => {
    const store = createStore({ url: redisUrl(), prefix });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    files = writeIdopteFiles({ publicKeys: publicKeysFile(simulator.keys, [1]), serviceKey });
    const prefix = testKeyPrefix('idopte-challenge');
    for (let i = 0; i < 2; i += 1) await start({ ...files.env(), IDOPTE_CHALLENGE_RATE_LIMIT: '1000' }, storeWith(prefix));
  });

  afterAll(async () => {
    await Promise.all(replicas.map((running) => running.close()));
    await Promise.all(stores.map((store) => store.close()));
    files.remove();
  });

  describe.each(FORMATS)('in %s', (format) => {
    it('serves the certificate file byte for byte', async () => {
      const reply = await sendCommand(next(), 'idopte_certificate', {}, format);
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toMatch(format === 'json' ? /^application\/json/ : /^application\/msgpack/);
      expect(reply.body.status).toBe('ok');
      expect(Buffer.compare(reply.body.certificate as Buffer, files.certificateBytes)).toBe(0);
    });

    it.each([
      [0, 2048],
      [2, 4096],
    ])('answers ok for middleware key %i (%i bits) with a signature the certificate verifies', async (pubkeyId) => {
      const handshake = simulator.handshake(pubkeyId);
      const reply = await sendCommand(next(), 'idopte_challenge', handshake, format);
      expect(reply.status).toBe(200);
      expect(reply.headers.get('cache-control')).toBe('no-store');
      expect(reply.body.status).toBe('ok');
      expect(Buffer.isBuffer(reply.body.server_signature)).toBe(true);
      expect(simulator.acceptsServerSignature(files.certificatePublicKey, handshake.server_challenge, reply.body.server_signature as Buffer)).toBe(true);
    });

    it('answers unknown_middleware_public_key for the revoked key in the middle, and past the end', async () => {
      for (const pubkeyId of [1, 3, 1000]) {
        const handshake = { ...simulator.handshake(pubkeyId === 1 ? 1 : 0), pubkey_id: pubkeyId };
        const reply = await sendCommand(next(), 'idopte_challenge', handshake, format);
        expect(reply.body).toEqual({ status: 'unknown_middleware_public_key' });
      }
    });

    it('answers invalid_middleware_signature for a signature by another key, of other bytes, or cut short', async () => {
      const handshake = simulator.handshake(0);
      const otherKey = { ...handshake, middleware_signature: simulator.handshake(2).middleware_signature };
      const otherBytes = { ...handshake, middleware_challenge: Buffer.from(handshake.middleware_challenge).fill(7, 0, 1) };
      const cutShort = { ...handshake, middleware_signature: handshake.middleware_signature.subarray(1) };
      const wrongKeyId = { ...simulator.handshake(2), pubkey_id: 0 };
      for (const forged of [otherKey, otherBytes, cutShort, wrongKeyId]) {
        const reply = await sendCommand(next(), 'idopte_challenge', forged, format);
        expect(reply.body).toEqual({ status: 'invalid_middleware_signature' });
      }
      // None of them used up the genuine challenge.
      expect((await sendCommand(next(), 'idopte_challenge', handshake, format)).body.status).toBe('ok');
    });

    it('answers invalid_server_challenge past k − 11 bytes of the service key, and signs exactly k − 11', async () => {
      const tooLong = simulator.handshake(0, { serverChallengeLength: 256 - 10 });
      expect((await sendCommand(next(), 'idopte_challenge', tooLong, format)).body).toEqual({ status: 'invalid_server_challenge' });
      // The refused request left its middleware challenge unused.
      const fits = { ...tooLong, server_challenge: tooLong.server_challenge.subarray(1) };
      const reply = await sendCommand(next(), 'idopte_challenge', fits, format);
      expect(reply.body.status).toBe('ok');
      expect(simulator.acceptsServerSignature(files.certificatePublicKey, fits.server_challenge, reply.body.server_signature as Buffer)).toBe(true);
    });
  });

  it('accepts a middleware challenge once, on whichever replica: a replay is refused on the other one', async () => {
    const handshake = simulator.handshake(0);
    const [first, second] = replicas.map((running) => running.url) as [string, string];
    expect((await sendCommand(first, 'idopte_challenge', handshake)).body.status).toBe('ok');
    expect((await sendCommand(second, 'idopte_challenge', handshake)).body).toEqual({ status: 'invalid_middleware_signature' });
    // Nor can the captured pair buy a signature of another server challenge, in either format.
    const chosen = { ...handshake, server_challenge: Buffer.from('a challenge of my choosing') };
    expect((await sendCommand(first, 'idopte_challenge', chosen, 'msgpack')).body).toEqual({ status: 'invalid_middleware_signature' });
  });

  it('lets exactly one of many concurrent replays through, across both replicas', async () => {
    const handshake = simulator.handshake(2);
    const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => sendCommand(replicas[i % 2]!.url, 'idopte_challenge', handshake)));
    expect(replies.filter((reply) => reply.body.status === 'ok')).toHaveLength(1);
    expect(replies.filter((reply) => reply.body.status === 'invalid_middleware_signature')).toHaveLength(7);
  });

  it('answers a malformed body with a 400 problem that names the reason, and changes nothing', async () => {
    const handshake = simulator.handshake(0);
    const url = `${next()}/anonymous/idopte_challenge`;
    const post = (body: string | Buffer, type = 'application/json') => fetch(url, { method: 'POST', headers: { 'content-type': type }, body });
    const fields = (overrides: Record<string, unknown>) =>
      JSON.stringify({
        middleware_challenge: Buffer.from(handshake.middleware_challenge).toString('base64'),
        middleware_signature: Buffer.from(handshake.middleware_signature).toString('base64'),
        server_challenge: Buffer.from(handshake.server_challenge).toString('base64'),
        pubkey_id: 0,
        ...overrides,
      });
    const cases: [string | Buffer, string, string, string?][] = [
      ['{"middleware_challenge": ', 'application/json', 'malformed-body'],
      ['[1, 2]', 'application/json', 'malformed-body'],
      [Buffer.from([0x81, 0xa1]), 'application/msgpack', 'malformed-body'],
      [fields({ middleware_signature: undefined }), 'application/json', 'invalid-field', 'middleware_signature'],
      [fields({ server_challenge: 'not base64!' }), 'application/json', 'invalid-field', 'server_challenge'],
      [fields({ pubkey_id: -1 }), 'application/json', 'invalid-field', 'pubkey_id'],
      [fields({ pubkey_id: 0.5 }), 'application/json', 'invalid-field', 'pubkey_id'],
      [fields({ pubkey_id: '0' }), 'application/json', 'invalid-field', 'pubkey_id'],
      [fields({ cmd: 'idopte_certificate' }), 'application/json', 'malformed-body'],
    ];
    for (const [body, type, code, field] of cases) {
      const response = await post(body, type);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await response.json()) as Record<string, unknown>;
      expect(problem.type).toBe(`urn:sigil:problem:${code}`);
      expect(typeof problem.detail).toBe('string');
      if (field !== undefined) expect(problem.field).toBe(field);
    }
    // Bytes given as a msgpack string instead of bin.
    const asText = await sendCommand(next(), 'idopte_challenge', { ...handshake, server_challenge: 'abc' }, 'msgpack');
    expect(asText.status).toBe(400);
    expect(asText.body).toMatchObject({ type: 'urn:sigil:problem:invalid-field', field: 'server_challenge' });
    const unsupported = await post(fields({}), 'text/plain');
    expect(unsupported.status).toBe(415);
    const compressed = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: fields({}) });
    expect(compressed.status).toBe(415);
    const tooLarge = await post(JSON.stringify({ server_challenge: 'A'.repeat(20_000) }));
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as Record<string, unknown>).type).toBe('urn:sigil:problem:body-too-large');
    const wrongMethod = await fetch(url);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    // A Parsec-style body with its own command name is fine, and the challenge was never used.
    const reply = await post(fields({ cmd: 'idopte_challenge' }));
    expect(reply.status).toBe(200);
    expect(((await reply.json()) as Record<string, unknown>).status).toBe('ok');
  });

  it('rate-limits idopte_challenge per client address across replicas, with Retry-After', async () => {
    const prefix = testKeyPrefix('idopte-rate');
    const limited = [
      await start({ ...files.env(), IDOPTE_CHALLENGE_RATE_LIMIT: '3', IDOPTE_CHALLENGE_RATE_WINDOW: '30' }, storeWith(prefix)),
      await start({ ...files.env(), IDOPTE_CHALLENGE_RATE_LIMIT: '3', IDOPTE_CHALLENGE_RATE_WINDOW: '30' }, storeWith(prefix)),
    ];
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await sendCommand(limited[i % 2]!.url, 'idopte_challenge', simulator.handshake(0))).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refusedHandshake = simulator.handshake(0);
    const refused = await sendCommand(limited[0]!.url, 'idopte_challenge', refusedHandshake, 'msgpack');
    expect(refused.status).toBe(429);
    expect(refused.body.type).toBe('urn:sigil:problem:rate-limited');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(30);
    // The certificate is not a challenge: it stays available.
    expect((await sendCommand(limited[1]!.url, 'idopte_certificate', {})).body.status).toBe('ok');
    // A refused request used nothing up: its challenge is still good where the limit is higher.
    const roomier = await start({ ...files.env(), IDOPTE_CHALLENGE_RATE_LIMIT: '100', IDOPTE_CHALLENGE_RATE_WINDOW: '30' }, storeWith(prefix));
    const accepted = await sendCommand(roomier.url, 'idopte_challenge', refusedHandshake, 'msgpack');
    expect(accepted.body.status).toBe('ok');
  });

  it('answers not_available to both commands when Idopte is not configured', async () => {
    const off = await start({}, storeWith(testKeyPrefix('idopte-off')));
    for (const format of FORMATS) {
      expect((await sendCommand(off.url, 'idopte_certificate', {}, format)).body).toEqual({ status: 'not_available' });
      expect((await sendCommand(off.url, 'idopte_challenge', simulator.handshake(0), format)).body).toEqual({ status: 'not_available' });
    }
    // An empty body is the empty request idopte_certificate takes.
    const empty = await fetch(`${off.url}/anonymous/idopte_certificate`, { method: 'POST' });
    expect(await empty.json()).toEqual({ status: 'not_available' });
    // The request is still read first: a malformed one is a 400 either way.
    expect((await sendCommand(off.url, 'idopte_challenge', { pubkey_id: 0 })).status).toBe(400);
  });
});
