import { randomBytes } from 'node:crypto';
import { validateRegistration } from '../../src/domain/account.js';
import { CsrfTokens } from '../../src/domain/csrf.js';
import { hashPassword, needsRehash, verifyPassword } from '../../src/domain/password-hash.js';
import { checkPasswordPolicy } from '../../src/domain/password-policy.js';
import { TokenCipher, TokenCipherError } from '../../src/domain/token-cipher.js';
import { escapeHtml, html } from '../../src/http/pages/html.js';

const FAST = { logN: 10, r: 8, p: 1 };

describe('password hashes (scrypt, PHC strings)', () => {
  it('verifies the password it was made from, and only that one', async () => {
    const hash = await hashPassword('correct horse battery staple', FAST);
    expect(hash).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false);
    expect(await hashPassword('correct horse battery staple', FAST)).not.toBe(hash);
  });

  it('normalizes Unicode (NFKC) before hashing', async () => {
    const hash = await hashPassword('ｐａｓｓｗｏｒｄ–Ⅻ', FAST);
    expect(await verifyPassword('password–XII', hash)).toBe(true);
  });

  it('says when a hash was made with other parameters, and refuses garbage', async () => {
    const hash = await hashPassword('x', FAST);
    expect(needsRehash(hash, FAST)).toBe(false);
    expect(needsRehash(hash, { ...FAST, logN: 11 })).toBe(true);
    expect(needsRehash('not a hash', FAST)).toBe(true);
    expect(await verifyPassword('x', 'not a hash')).toBe(false);
  });
});

describe('registration policy', () => {
  it('accepts a good registration, normalized', () => {
    const result = validateRegistration(
      { username: ' Ada.L ', displayName: ' Ada ', email: 'Ada@Example.TEST', password: 'analytical engine', passwordConfirmation: 'analytical engine' },
      checkPasswordPolicy,
    );
    expect(result).toEqual({ ok: true, data: { username: 'ada.l', displayName: 'Ada', email: 'ada@example.test', password: 'analytical engine' } });
  });

  it('refuses weak passwords with a reason', () => {
    expect(checkPasswordPolicy('short', 'ada')).toMatch(/at least 12/);
    expect(checkPasswordPolicy('x'.repeat(129), 'ada')).toMatch(/at most 128/);
    expect(checkPasswordPolicy('my name is ada!', 'ada')).toMatch(/user name/);
    expect(checkPasswordPolicy('PasswordPassword', 'ada')).toMatch(/too common/);
    expect(checkPasswordPolicy('abababababab', 'ada')).toMatch(/4 different/);
    expect(checkPasswordPolicy('a fine passphrase', 'ada')).toBeUndefined();
  });

  it('refuses control characters in display names', () => {
    const result = validateRegistration({ username: 'ada', displayName: 'Ada\u0000', email: '' }, checkPasswordPolicy);
    expect(result).toEqual({ ok: false, errors: { displayName: expect.any(String) } });
  });
});

describe('token cipher (AES-256-GCM with key ids)', () => {
  const k1 = { kid: 'k1', key: randomBytes(32) };
  const k2 = { kid: 'k2', key: randomBytes(32) };

  it('opens what it sealed, in the same context only', () => {
    const cipher = new TokenCipher([k1]);
    const sealed = cipher.seal('gho_token', 'account-1:github');
    expect(sealed).toMatch(/^v1\.k1\./);
    expect(sealed).not.toContain('gho_token');
    expect(cipher.open(sealed, 'account-1:github')).toBe('gho_token');
    expect(() => cipher.open(sealed, 'account-2:github')).toThrow(TokenCipherError);
    const tampered = sealed.replace(/\.([^.]+)\.([^.]+)$/, (_m, body: string, tag: string) => `.${body.slice(0, -2)}AA.${tag}`);
    expect(() => cipher.open(tampered, 'account-1:github')).toThrow(TokenCipherError);
  });

  it('rotates: a new key encrypts, old ciphertexts still open and are marked stale', () => {
    const old = new TokenCipher([k1]).seal('secret', 'ctx');
    const rotated = new TokenCipher([k2, k1]);
    expect(rotated.open(old, 'ctx')).toBe('secret');
    expect(rotated.isStale(old)).toBe(true);
    expect(rotated.isStale(rotated.seal('secret', 'ctx'))).toBe(false);
    expect(() => new TokenCipher([k2]).open(old, 'ctx')).toThrow(/no key with id "k1"/);
  });
});

describe('CSRF tokens', () => {
  it('binds a token to the browser secret and the form action, under any configured key', () => {
    const tokens = new CsrfTokens(['a'.repeat(32)]);
    const token = tokens.issue('browser-secret', '/interaction/x/login');
    expect(tokens.verify('browser-secret', '/interaction/x/login', token)).toBe(true);
    expect(tokens.verify('browser-secret', '/interaction/x/abort', token)).toBe(false);
    expect(tokens.verify('other-secret', '/interaction/x/login', token)).toBe(false);
    expect(new CsrfTokens(['b'.repeat(32), 'a'.repeat(32)]).verify('browser-secret', '/interaction/x/login', token)).toBe(true);
    expect(new CsrfTokens(['b'.repeat(32)]).verify('browser-secret', '/interaction/x/login', token)).toBe(false);
  });
});

describe('page templates', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const hostile = `"><script>alert('x')</script>&`;
    const out = html`<p title="${hostile}">${hostile}</p>${[html`<b>${hostile}</b>`]}`.value;
    expect(out).not.toContain('<script>');
    expect(out).toContain('&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;');
    expect(escapeHtml('`')).toBe('&#96;');
  });
});
