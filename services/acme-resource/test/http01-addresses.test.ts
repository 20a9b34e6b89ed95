import { startHttp, type RunningServer } from '@sigil/testkit';
import { fetchHttp01, type Http01FetchOptions } from '../src/va/http01-fetch.js';
import { isPublicAddress } from '../src/va/public-addresses.js';
import { startHttp01Responder, type Http01Responder } from './support/http01-responder.js';

let responder: Http01Responder;
/** Answers `/.well-known/acme-challenge/<token>` with a redirect to `redirects.get(token)`, or else with `<token>.thumbprint`. */
let redirector: RunningServer;
const redirects = new Map<string, string>();
const redirectorRequests: string[] = [];

beforeAll(async () => {
  responder = await startHttp01Responder();
  responder.set('token-1', 'token-1.thumbprint');
  redirector = await startHttp((req, res) => {
    redirectorRequests.push(`${req.headers.host ?? ''} ${req.url ?? ''}`);
    const token = (req.url ?? '').split('/').pop() ?? '';
    const location = redirects.get(token);
    if (location === undefined) res.writeHead(200, { 'content-type': 'text/plain' }).end(`${token}.thumbprint`);
    else res.writeHead(302, { location }).end();
  });
});
afterAll(async () => {
  await responder.close();
  await redirector.close();
});

const options = (overrides: Partial<Http01FetchOptions> = {}): Http01FetchOptions => ({
  port: responder.port,
  timeoutMs: 2_000,
  maxRedirects: 3,
  maxBodyBytes: 8_192,
  ...overrides,
});

describe('http-01 validation connects only to public addresses', () => {
  it.each([
    ['8.8.8.8', true],
    ['2606:4700:4700::1111', true],
    ['64:ff9b::808:808', true],
    ['127.0.0.1', false],
    ['10.1.2.3', false],
    ['172.31.255.255', false],
    ['192.168.1.1', false],
    ['100.64.0.1', false],
    ['169.254.169.254', false],
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['::1', false],
    ['::', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:7f00:1', false],
    ['::ffff:8.8.8.8', true],
    ['fd12:3456::1', false],
    ['fe80::1', false],
    ['2001:db8::1', false],
    ['not an address', false],
  ])('%s is public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  it('refuses a name that resolves only to loopback, without connecting', async () => {
    const before = responder.requests.length;
    const result = await fetchHttp01('localhost', 'token-1', options());
    expect(result).toEqual({
      ok: false,
      outcome: {
        valid: false,
        retryable: false,
        problem: { type: 'connection', detail: expect.stringMatching(/^localhost resolves only to .*127\.0\.0\.1.*: validation does not connect to addresses that are not public$/) },
      },
    });
    expect(responder.requests.length).toBe(before);
  });

  it('connects to private addresses when they are allowed, and to the address the operator names', async () => {
    expect(await fetchHttp01('localhost', 'token-1', options({ allowPrivateAddresses: true }))).toEqual({ ok: true, body: 'token-1.thumbprint' });
    expect(await fetchHttp01('www.example.test', 'token-1', options({ resolveTo: '127.0.0.1' }))).toEqual({ ok: true, body: 'token-1.thumbprint' });
  });

  /** The redirector, reached through the operator's address (always allowed); where it points is checked like any other address. */
  const throughRedirector = (token: string, target: string, overrides: Partial<Http01FetchOptions> = {}) => {
    redirects.set(token, target);
    return fetchHttp01('redirect.test', token, options({ resolveTo: '127.0.0.1', port: Number(new URL(redirector.url).port), ...overrides }));
  };

  it.each(['http://127.0.0.1:PORT/.well-known/acme-challenge/final', 'http://[::1]:PORT/.well-known/acme-challenge/final', 'http://169.254.169.254/latest/meta-data/'])(
    'refuses a redirect to %s, without connecting',
    async (target) => {
      redirectorRequests.length = 0;
      const result = await throughRedirector('to-private', target.replace('PORT', new URL(redirector.url).port));
      expect(result).toMatchObject({ ok: false, outcome: { retryable: false, problem: { type: 'connection', detail: expect.stringMatching(/ names [0-9a-f.:]+: validation does not connect to addresses that are not public$/) } } });
      expect(redirectorRequests).toEqual(['redirect.test:' + new URL(redirector.url).port + ' /.well-known/acme-challenge/to-private']);
    },
  );

  it('follows a redirect to a private address when private addresses are allowed', async () => {
    const result = await throughRedirector('to-loopback', `http://127.0.0.1:${new URL(redirector.url).port}/.well-known/acme-challenge/final`, { allowPrivateAddresses: true });
    expect(result).toEqual({ ok: true, body: 'final.thumbprint' });
  });
});
