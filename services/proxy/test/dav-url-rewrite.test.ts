import { ForeignDestination, rewriteDestination, rewriteIfHeader, rewriteLocation } from '../src/domain/dav-url-rewrite.js';
import { hasUnsafeSegment, matchRoute, parseRouteTable } from '../src/domain/route-table.js';

const routes = parseRouteTable('/dav=http://storage:4005, /dav/shared=http://shares:8080/base|shares, /=http://fallback');
const context = (path: string) => ({ proxyOrigins: ['https://proxy.example'], routes, route: matchRoute(routes, path)! });

describe('the route table', () => {
  it('matches the longest prefix on segment boundaries', () => {
    expect(matchRoute(routes, '/dav/shared/x')).toMatchObject({ origin: 'http://shares:8080', basePath: '/base', audience: 'shares' });
    expect(matchRoute(routes, '/dav/a')).toMatchObject({ origin: 'http://storage:4005', basePath: '' });
    expect(matchRoute(routes, '/davx')).toMatchObject({ origin: 'http://fallback' });
  });

  it('spots dot segments and encoded separators', () => {
    expect(['/dav/../x', '/dav/%2E%2e/x', '/dav/a%2fb', '/dav/a%5Cb', '/dav/.', '/dav/a%00'].map(hasUnsafeSegment)).toEqual([true, true, true, true, true, true]);
    expect(hasUnsafeSegment('/dav/a..b/.hidden')).toBe(false);
  });
});

describe('Destination, If and Location rewriting', () => {
  it('points a Destination on the proxy at the same upstream, keeping its encoding', () => {
    expect(rewriteDestination('https://proxy.example/dav/a%20b.txt', context('/dav/x'))).toBe('http://storage:4005/dav/a%20b.txt');
    expect(rewriteDestination('/dav/shared/c', context('/dav/shared/x'))).toBe('http://shares:8080/base/dav/shared/c');
  });

  it('refuses a Destination elsewhere or behind another route', () => {
    expect(() => rewriteDestination('https://evil.example/dav/a', context('/dav/x'))).toThrow(ForeignDestination);
    expect(() => rewriteDestination('https://proxy.example/dav/shared/a', context('/dav/x'))).toThrow(ForeignDestination);
    expect(() => rewriteDestination('not a url', context('/dav/x'))).toThrow(ForeignDestination);
  });

  it('rewrites If resource tags on the proxy, never the state tokens', () => {
    const header = '<https://proxy.example/dav/a> (<urn:uuid:1> [W/"e"]) <https://other.example/x> (Not <DAV:no-lock>)';
    expect(rewriteIfHeader(header, context('/dav/a'))).toBe('<http://storage:4005/dav/a> (<urn:uuid:1> [W/"e"]) <https://other.example/x> (Not <DAV:no-lock>)');
  });

  it('turns an upstream Location back into a proxy URL', () => {
    expect(rewriteLocation('http://shares:8080/base/dav/shared/n', matchRoute(routes, '/dav/shared')!, 'https://proxy.example')).toBe('https://proxy.example/dav/shared/n');
    expect(rewriteLocation('https://elsewhere/x', matchRoute(routes, '/dav')!, 'https://proxy.example')).toBe('https://elsewhere/x');
  });
});
