import type { IncomingMessage, ServerResponse } from 'node:http';
import { request } from 'node:http';
import { once } from 'node:events';
import { describeWithRedis, rawRequest, startHttp, type RunningServer } from '@sigil/testkit';
import { RemoteJwks, verifyInternalToken } from '@sigil/tokens';
import { PROXY_URL, startProxyChain, type ProxyFixture } from './support/proxy-fixture.js';
import { bearer } from './support/propfind.js';

const describeRedis = await describeWithRedis();

/** A stub upstream: records what it receives, answers as the test says. */
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

describeRedis('forwarding', () => {
  let chain: ProxyFixture;
  let stub: RunningServer;
  let slow: RunningServer;
  let token: string;
  const seen: Seen[] = [];
  let onRequest: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;

  beforeAll(async () => {
    stub = await startHttp((req, res) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      if (onRequest) return onRequest(req, res);
      req.resume();
      req.on('end', () => {
        res.setHeader('connection', 'keep-alive, x-hop');
        res.setHeader('x-hop', 'secret');
        res.setHeader('location', `${stub.url}/base/files/new.txt`);
        res.end('ok');
      });
    });
    slow = await startHttp(() => undefined);
    chain = await startProxyChain({
      extraRoutes: [`/files=${stub.url}/base`, `/slow=${slow.url}`, '/down=http://127.0.0.1:9'],
      env: { PROXY_UPSTREAM_TIMEOUT_MS: '300' },
    });
    chain.idp.addUser({ sub: 'u-fwd', preferred_username: 'fwd', name: 'Forward', groups: ['staff'] });
    token = await chain.tokenFor('u-fwd');
  });
  afterAll(async () => {
    await chain.close();
    await stub.close();
    await slow.close();
  });
  beforeEach(() => {
    seen.length = 0;
    onRequest = undefined;
  });

  const send = (path: string, init: RequestInit = {}) =>
    fetch(`${chain.proxyUrl(0)}${path}`, { ...init, headers: { ...bearer(token), ...(init.headers as Record<string, string>) } });

  it('continues the caller\'s W3C trace upstream, as a child of the proxy\'s own span', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await send('/files/traced.txt', { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    expect(response.status).toBe(200);
    const proxySpan = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(response.headers.get('traceresponse') ?? '');
    expect(proxySpan?.[1]).toBe(traceId);
    expect(seen[0]!.headers.traceparent).toBe(`00-${traceId}-${proxySpan![2]}-01`);
  });

  it('sends the internal token instead of the caller credentials, drops hop-by-hop headers and sets X-Forwarded-*', async () => {
    const response = await rawRequest(chain.proxyUrl(0), 'PROPPATCH', '/files/a.txt?x=1', {
      ...bearer(token),
      connection: 'x-private',
      'x-private': 'hop',
      'keep-alive': 'timeout=5',
      cookie: 'sid=1',
      'x-access-token': 'forged',
      depth: '0',
      overwrite: 'F',
    });
    expect(response.status).toBe(200);
    const [request] = seen;
    expect(request).toMatchObject({ method: 'PROPPATCH', url: '/base/files/a.txt?x=1' });
    expect(request!.headers).toMatchObject({ depth: '0', overwrite: 'F', 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'http' });
    expect(request!.headers['x-forwarded-host']).toBe(new URL(chain.proxyUrl(0)).host);
    for (const name of ['authorization', 'cookie', 'x-private', 'keep-alive']) expect(request!.headers).not.toHaveProperty(name);
    const identity = await verifyInternalToken(String(request!.headers['x-access-token']), new RemoteJwks(`${chain.proxyUrl(1)}/.well-known/jwks.json`), {
      issuer: PROXY_URL,
      audience: 'dav-storage',
    });
    expect(identity).toMatchObject({ username: 'fwd', displayName: 'Forward', groups: ['staff'], roles: [] });
    expect(response.headers['x-hop']).toBeUndefined();
    expect(response.headers.location).toBe(`http://${new URL(chain.proxyUrl(0)).host}/files/new.txt`);
  });

  it('rewrites Destination and If resource tags to the upstream, and refuses a Destination behind another route', async () => {
    const host = new URL(chain.proxyUrl(0)).host;
    await send('/files/a.txt', { method: 'MOVE', headers: { destination: `http://${host}/files/b%20c.txt`, if: `<http://${host}/files/a.txt> (<urn:uuid:1>)` } });
    expect(seen[0]!.headers.destination).toBe(`${stub.url}/base/files/b%20c.txt`);
    expect(seen[0]!.headers.if).toBe(`<${stub.url}/base/files/a.txt> (<urn:uuid:1>)`);
    for (const destination of [`http://${host}/dav/x.txt`, 'http://elsewhere.example/files/x.txt']) {
      const response = await send('/files/a.txt', { method: 'COPY', headers: { destination } });
      expect(response.status).toBe(502);
      expect(await response.json()).toMatchObject({ type: 'urn:sigil:problem:destination-foreign' });
    }
    expect(seen).toHaveLength(1);
  });

  it('streams the request body: the upstream sees the first chunk before the caller has sent the rest', async () => {
    const firstChunkArrived = new Promise<void>((resolve) => {
      onRequest = (req, res) => {
        req.once('data', () => resolve());
        req.resume();
        req.on('end', () => res.end('done'));
      };
    });
    const { hostname, port } = new URL(chain.proxyUrl(1));
    const upload = request({ host: hostname, port, method: 'PUT', path: '/files/stream.bin', headers: { ...bearer(token), 'transfer-encoding': 'chunked' } });
    upload.write(Buffer.alloc(64 * 1024, 1));
    await firstChunkArrived;
    upload.end(Buffer.alloc(64 * 1024, 2));
    const [response] = (await once(upload, 'response')) as [IncomingMessage];
    expect(response.statusCode).toBe(200);
    response.resume();
  });

  it('streams the response body: the caller gets the first chunk while the upstream is still writing', async () => {
    let finish!: () => void;
    onRequest = (req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(Buffer.alloc(32 * 1024, 7));
      finish = () => res.end(Buffer.alloc(10, 8));
    };
    const response = await send('/files/stream.bin');
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.value!.length).toBeGreaterThan(0);
    finish();
    while (!(await reader.read()).done);
  });

  it('aborts the upstream response when the caller goes away mid-download', async () => {
    const upstreamClosed = new Promise<boolean>((resolve) => {
      onRequest = (req, res) => {
        req.resume();
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(1024 * 1024) });
        res.write(Buffer.alloc(16 * 1024, 1));
        res.on('close', () => resolve(res.writableFinished));
      };
    });
    const { hostname, port } = new URL(chain.proxyUrl(0));
    const download = request({ host: hostname, port, path: '/files/big.bin', headers: bearer(token) });
    download.end();
    const [response] = (await once(download, 'response')) as [IncomingMessage];
    await once(response, 'data');
    download.destroy();
    expect(await upstreamClosed).toBe(false);
  });

  it('closes the caller\'s connection when the upstream breaks off mid-body, so the truncation shows', async () => {
    onRequest = (req, res) => {
      req.resume();
      res.writeHead(200, { 'content-length': '1000' });
      res.write(Buffer.alloc(100, 3), () => setTimeout(() => res.destroy(), 20));
    };
    const { hostname, port } = new URL(chain.proxyUrl(0));
    const download = request({ host: hostname, port, path: '/files/cut.bin', headers: bearer(token) });
    download.end();
    const [response] = (await once(download, 'response')) as [IncomingMessage];
    expect(response.statusCode).toBe(200);
    let received = 0;
    response.on('data', (chunk: Buffer) => (received += chunk.length));
    const [error] = (await once(response, 'error').catch((e: unknown) => [e])) as [Error & { code?: string }];
    expect(error.code).toBe('ECONNRESET');
    expect(received).toBe(100);
  });

  it('answers 502 when the upstream cannot be reached and 504 when it does not answer in time', async () => {
    const down = await send('/down/x');
    expect(down.status).toBe(502);
    expect(await down.json()).toMatchObject({ type: 'urn:sigil:problem:upstream-unreachable' });
    const late = await send('/slow/x');
    expect(late.status).toBe(504);
    expect(await late.json()).toMatchObject({ type: 'urn:sigil:problem:upstream-timeout' });
  });

  it('refuses dot segments before they reach any upstream, and leaves paths outside every route to 404', async () => {
    expect((await rawRequest(chain.proxyUrl(0), 'GET', '/files/%2e%2e/secret', bearer(token))).status).toBe(400);
    expect((await rawRequest(chain.proxyUrl(0), 'GET', '/files/../secret', bearer(token))).status).toBe(400);
    expect((await send('/nowhere')).status).toBe(404);
    expect(seen).toHaveLength(0);
  });
});
