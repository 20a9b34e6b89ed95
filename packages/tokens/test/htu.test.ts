import { normalizeHtu } from '../src/index.js';

describe('normalizeHtu (RFC 9449 §4.3 check 9, RFC 3986 §6.2.2, §6.2.3)', () => {
  it.each([
    ['https://as.example.com/token', 'https://as.example.com/token'],
    ['HTTPS://AS.Example.COM/token', 'https://as.example.com/token'],
    ['https://as.example.com:443/token', 'https://as.example.com/token'],
    ['http://as.example.com:80/token', 'http://as.example.com/token'],
    ['https://as.example.com', 'https://as.example.com/'],
    ['https://as.example.com/a/../token', 'https://as.example.com/token'],
    ['https://as.example.com/token?x=1#y', 'https://as.example.com/token'],
    ['https://as.example.com/%7euser/%2fx', 'https://as.example.com/~user/%2Fx'],
    ['https://as.example.com:8443/token', 'https://as.example.com:8443/token'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeHtu(input)).toBe(expected);
  });

  it.each(['/token', 'not a uri', 'ftp://as.example.com/token', 'https://user:pw@as.example.com/token'])('refuses %s', (input) => {
    expect(normalizeHtu(input)).toBeUndefined();
  });

  it('keeps the path case', () => {
    expect(normalizeHtu('https://as.example.com/Token')).not.toBe(normalizeHtu('https://as.example.com/token'));
  });
});
