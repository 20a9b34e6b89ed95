import { publicKeysFile } from '@sigil/stand-ins';
import { fixtureKey } from '@sigil/testkit';
import { parseMiddlewarePublicKeys, PublicKeyFileError } from '../../src/index.js';

const a = fixtureKey('RSA-2048', 'keys-a');
const b = fixtureKey('RSA-2048', 'keys-b');
const c = fixtureKey('RSA-4096', 'keys-c');

function refusal(text: string): PublicKeyFileError {
  try {
    parseMiddlewarePublicKeys(text);
  } catch (error) {
    if (error instanceof PublicKeyFileError) return error;
    throw error;
  }
  throw new Error('the file was accepted');
}

describe('the middleware public keys file', () => {
  it('numbers keys by position from 0, explanatory text between blocks ignored (RFC 7468 §5.2)', () => {
    const keys = parseMiddlewarePublicKeys(`# Idopte production keys\n\n${publicKeysFile([a, b, c])}\ntrailing notes\n`);
    expect(keys.size).toBe(3);
    expect(keys.find(0)?.key.equals(a.publicKey)).toBe(true);
    expect(keys.find(1)?.key.equals(b.publicKey)).toBe(true);
    expect(keys.find(2)?.modulusBits).toBe(4096);
    expect(keys.find(3)).toBeUndefined();
  });

  it('keeps the position of a revoked key but matches nothing there, so the others never shift', () => {
    const keys = parseMiddlewarePublicKeys(publicKeysFile([a, b, c], [1]));
    expect(keys.size).toBe(3);
    expect(keys.revoked).toBe(1);
    expect(keys.find(0)?.key.equals(a.publicKey)).toBe(true);
    expect(keys.find(1)).toBeUndefined();
    expect(keys.find(2)?.key.equals(c.publicKey)).toBe(true);
  });

  it('reads CRLF files', () => {
    const keys = parseMiddlewarePublicKeys(publicKeysFile([a, b]).replaceAll('\n', '\r\n'));
    expect(keys.find(1)?.key.equals(b.publicKey)).toBe(true);
  });

  it.each([
    ['an empty file', '', /no "PUBLIC KEY" block/],
    ['a private key pasted by mistake', a.privateKeyPem, /block 0 .* is "PRIVATE KEY"/],
    ['a block left open', a.publicKeyPem.replace('-----END PUBLIC KEY-----', ''), /has no END line/],
    ['a block closed with another label', a.publicKeyPem.replace('END PUBLIC KEY', 'END REVOKED PUBLIC KEY'), /not closed by its END line/],
    ['an END without a BEGIN', `-----END PUBLIC KEY-----\n${a.publicKeyPem}`, /without a BEGIN/],
    ['a body that is not base64', a.publicKeyPem.replace(/\n[A-Za-z0-9+/]{10}/, '\n!not base64'), /not base64/],
    ['a body that is not a key', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n', /key 0 .* is not a valid public key/],
    ['a key that is not RSA', fixtureKey('P-256', 'keys-ec').publicKeyPem, /key 0 .* is ec, not RSA/],
  ])('refuses %s, saying where', (_what, text, message) => {
    const error = refusal(text);
    expect(error.code).toBe('IDOPTE_PUBLIC_KEYS_INVALID');
    expect(error.message).toMatch(message);
  });

  it('never puts key material in its messages', () => {
    const body = a.privateKeyPem.split('\n')[1]!;
    expect(refusal(`${b.publicKeyPem}${a.privateKeyPem}`).message).not.toContain(body.slice(0, 16));
  });
});
