import { PassThrough } from 'node:stream';
import request from 'supertest';
import { createLogger, startService, type RunningService } from '../src/index.js';
import { echoService } from './fixtures/echo-service.js';

let running: RunningService;
const logLines: string[] = [];

beforeAll(async () => {
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => logLines.push(...chunk.toString().split('\n').filter(Boolean)));
  running = await startService(echoService, {
    env: { PORT: '0', HOST: '127.0.0.1' },
    logger: createLogger('echo', 'info', sink),
  });
});
afterAll(() => running.close());

describe('the service skeleton', () => {
  it('echoes a sane X-Request-Id and replaces an insane one', async () => {
    const kept = await request(running.url).get('/healthz').set('x-request-id', 'abc-123');
    expect(kept.headers['x-request-id']).toBe('abc-123');
    const replaced = await request(running.url).get('/healthz').set('x-request-id', '<script>alert(1)</script>');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets security headers on every response', async () => {
    const res = await request(running.url).get('/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('turns a thrown Problem into an RFC 7807 document with its headers', async () => {
    const res = await request(running.url).get('/teapot');
    expect(res.status).toBe(418);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('7');
    expect(JSON.parse(res.text)).toEqual({ type: 'urn:sigil:problem:teapot', title: "I'm a teapot", status: 418, detail: 'short and stout', spout: 1 });
  });

  it('answers malformed JSON with 400 and an oversized body with 413', async () => {
    const malformed = await request(running.url).post('/echo').set('content-type', 'application/json').send('{"a":');
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.text)).toMatchObject({ type: 'urn:sigil:problem:malformed-body', status: 400 });
    const big = await request(running.url).post('/echo').send({ a: 'x'.repeat(2048) });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.text)).toMatchObject({ type: 'urn:sigil:problem:body-too-large' });
    const fine = await request(running.url).post('/echo').send({ a: 1 });
    expect(fine.body).toEqual({ received: { a: 1 } });
  });

  it('hides the internals of an unexpected error behind a generic 500, and logs it', async () => {
    const res = await request(running.url).get('/boom').set('x-request-id', 'boom-1');
    expect(res.status).toBe(500);
    expect(res.text).not.toContain('hunter2');
    expect(JSON.parse(res.text)).toEqual({ type: 'urn:sigil:problem:internal', title: 'Internal Server Error', status: 500, detail: 'An unexpected error occurred' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(logLines.some((line) => line.includes('"requestId":"boom-1"') && line.includes('request failed'))).toBe(true);
  });

  it('stores and reads through the store', async () => {
    await request(running.url).put('/values/k1').send({ v: 42 }).expect(204);
    const res = await request(running.url).get('/values/k1');
    expect(res.body).toEqual({ v: 42 });
    const missing = await request(running.url).get('/values/nope');
    expect(missing.status).toBe(404);
  });

  it('counts requests by route template, not raw path', async () => {
    await request(running.url).get('/values/a');
    await request(running.url).get('/values/b');
    const metrics = (await request(running.url).get('/metrics')).text;
    expect(metrics).toMatch(/http_requests_total\{method="GET",route="\/values\/:key",status="404",service="echo"\} [2-9]/);
    expect(metrics).not.toContain('route="/values/a"');
  });

  it('never writes credentials or query strings to the log', async () => {
    await request(running.url)
      .get('/healthz?code=secret-code')
      .set('authorization', 'Bearer secret-token')
      .set('cookie', 'session=secret-cookie');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const all = logLines.join('\n');
    expect(all).toContain('"path":"/healthz"');
    for (const secret of ['secret-code', 'secret-token', 'secret-cookie']) expect(all).not.toContain(secret);
  });

  describe('direct routes', () => {
    it('answer ahead of express with the same id, trace and security headers', async () => {
      const res = await request(running.url).get('/direct/items/a%2Fb/owner/eve?q=1').set('x-request-id', 'direct-1');
      expect(res.status).toBe(200);
      expect(res.headers['x-request-id']).toBe('direct-1');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      const traceresponse = res.headers['traceresponse'] as string;
      expect(traceresponse).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
      expect(JSON.parse(res.text)).toEqual({
        params: { id: 'a/b', owner: 'eve' },
        path: '/direct/items/a%2Fb/owner/eve',
        protocol: 'http',
        requestId: 'direct-1',
        traceId: traceresponse.split('-')[1],
        address: expect.stringMatching(/127\.0\.0\.1/),
      });
    });

    it('match their method (GET answers HEAD), their segments, and prefixes', async () => {
      expect((await request(running.url).head('/direct/items/1/owner/2')).status).toBe(200);
      expect((await request(running.url).post('/direct/items/1/owner/2')).status).toBe(404);
      expect((await request(running.url).get('/direct/items/1/owner')).status).toBe(404);
      expect((await request(running.url).get('/direct/items//owner/2')).status).toBe(404);
      expect((await request(running.url).delete('/direct/tree/a/b?x=1')).text).toBe('DELETE /direct/tree/a/b?x=1');
      expect((await request(running.url).get('/direct/tree')).text).toBe('GET /direct/tree');
      expect((await request(running.url).get('/direct/treetop')).status).toBe(404);
      // A prefix the route leaves to express.
      expect((await request(running.url).get('/direct/tree/express/leaf')).text).toBe('express');
    });

    it('read JSON bodies with the same refusals as jsonBody', async () => {
      const fine = await request(running.url).post('/direct/echo').send({ a: 1 });
      expect(fine.body).toEqual({ received: { a: 1 } });
      const malformed = await request(running.url).post('/direct/echo').set('content-type', 'application/json').send('{"a":');
      expect(malformed.status).toBe(400);
      expect(JSON.parse(malformed.text)).toMatchObject({ type: 'urn:sigil:problem:malformed-body' });
      const array = await request(running.url).post('/direct/echo').set('content-type', 'application/json').send('[1]');
      expect(array.status).toBe(400);
      const big = await request(running.url).post('/direct/echo').send({ a: 'x'.repeat(2048) });
      expect(big.status).toBe(413);
      const text = await request(running.url).post('/direct/echo').set('content-type', 'text/plain').send('a=1');
      expect(text.status).toBe(415);
      const gzip = await request(running.url).post('/direct/echo').set('content-type', 'application/json').set('content-encoding', 'gzip').send('{}');
      expect(gzip.status).toBe(415);
      // The connection stays usable after a refused body.
      expect((await request(running.url).post('/direct/echo').send({ b: 2 })).body).toEqual({ received: { b: 2 } });
    });

    it('turn what they throw into problems, hiding internals and logging the failure', async () => {
      const teapot = await request(running.url).get('/direct/teapot');
      expect(teapot.status).toBe(418);
      expect(teapot.headers['retry-after']).toBe('7');
      expect(teapot.headers['content-type']).toMatch(/^application\/problem\+json/);
      const boom = await request(running.url).get('/direct/boom').set('x-request-id', 'direct-boom');
      expect(boom.status).toBe(500);
      expect(boom.text).not.toContain('hunter2');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(logLines.some((line) => line.includes('"requestId":"direct-boom"') && line.includes('request failed'))).toBe(true);
    });

    it('are counted under their path template and access-logged like the rest', async () => {
      await request(running.url).get('/direct/items/1/owner/2').set('x-request-id', 'direct-log');
      const metrics = (await request(running.url).get('/metrics')).text;
      expect(metrics).toMatch(/http_requests_total\{method="GET",route="\/direct\/items\/:id\/owner\/:owner",status="200",service="echo"\} [1-9]/);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const line = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.requestId === 'direct-log');
      expect(line).toMatchObject({ msg: 'request', method: 'GET', path: '/direct/items/1/owner/2', status: 200 });
    });
  });
});
