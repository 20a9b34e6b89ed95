import { parseRedisUrl } from '../src/redis-url.js';

describe('parseRedisUrl', () => {
  it('reads a plain redis:// URL, with defaults', () => {
    expect(parseRedisUrl('redis://127.0.0.1')).toEqual({ mode: 'standalone', tls: false, hosts: [{ host: '127.0.0.1', port: 6379 }] });
  });

  it('reads credentials, port and database', () => {
    expect(parseRedisUrl('redis://app:p%40ss@redis.internal:6380/3')).toEqual({
      mode: 'standalone',
      tls: false,
      hosts: [{ host: 'redis.internal', port: 6380 }],
      username: 'app',
      password: 'p@ss',
      db: 3,
    });
    expect(parseRedisUrl('redis://:only-password@h?db=2')).toMatchObject({ password: 'only-password', db: 2 });
    expect(parseRedisUrl('redis://default@h')).toMatchObject({ username: 'default' });
    expect(parseRedisUrl('redis://default@h')).not.toHaveProperty('password');
  });

  it('turns on TLS for rediss://', () => {
    expect(parseRedisUrl('rediss://cache.example:6380')).toMatchObject({ mode: 'standalone', tls: true });
  });

  it('reads IPv6 hosts', () => {
    expect(parseRedisUrl('redis://[::1]:7000').hosts).toEqual([{ host: '::1', port: 7000 }]);
  });

  it('reads Sentinel: the sentinels, the master name, the master password, the database', () => {
    expect(parseRedisUrl('redis+sentinel://:pw@s1:26379,s2:26380,s3/mymaster?db=1&sentinelPassword=sp')).toEqual({
      mode: 'sentinel',
      tls: false,
      hosts: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
        { host: 's3', port: 26379 },
      ],
      password: 'pw',
      masterName: 'mymaster',
      db: 1,
      sentinelPassword: 'sp',
    });
  });

  it('reads Cluster seed nodes', () => {
    expect(parseRedisUrl('redis+cluster://n1:7000,n2:7001')).toEqual({
      mode: 'cluster',
      tls: false,
      hosts: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
      ],
    });
  });

  it.each([
    ['an unknown scheme', 'memcached://h'],
    ['no host', 'redis://'],
    ['a bad port', 'redis://h:70000'],
    ['several hosts without Sentinel or Cluster', 'redis://a:1,b:2'],
    ['Sentinel without master name', 'redis+sentinel://s1:26379'],
    ['a database in Cluster mode', 'redis+cluster://n1:7000/2'],
    ['a database twice', 'redis://h/1?db=2'],
    ['an unknown parameter', 'redis://h?family=6'],
    ['a sentinel password outside Sentinel', 'redis://h?sentinelPassword=x'],
    ['a database that is not a number', 'redis://h/zero'],
    ['something else than a URL', 'localhost:6379'],
  ])('refuses %s with STORE_CONFIG_INVALID', (_case, url) => {
    expect(() => parseRedisUrl(url)).toThrow(expect.objectContaining({ code: 'STORE_CONFIG_INVALID' }));
  });
});
