import { jwkThumbprint } from '@sigil/crypto';
import { issueJwt, RotatingKeySet, TokenError, verifyJwt } from '../src/index.js';
import { testSigner } from './support/test-signer.js';

const HOUR = 3_600_000;

function setup() {
  let now = Date.UTC(2030, 0, 1);
  const clock = () => now;
  const first = testSigner('ES256', 'rotation-1');
  const second = testSigner('ES256', 'rotation-2');
  const keys = new RotatingKeySet({ current: first, maxTokenLifetimeSeconds: 3600, clock });
  return {
    keys,
    first,
    second,
    clock,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const kids = (keys: RotatingKeySet) => keys.jwks().keys.map((jwk) => jwk.kid);

describe('RotatingKeySet', () => {
  it('signs with the current key, naming it by its RFC 7638 thumbprint by default', async () => {
    const { keys, first, clock } = setup();
    expect(keys.currentKid).toBe(jwkThumbprint(first.publicJwk));
    const token = await keys.sign({ sub: 'alice' }, { typ: 'at+jwt' });
    const verified = await verifyJwt(token, keys, { algorithms: ['ES256'], typ: 'at+jwt', clock });
    expect(verified.header).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: keys.currentKid });
  });

  it('publishes public JWKs with kid, use and alg, and nothing private', () => {
    const { keys, first } = setup();
    expect(keys.jwks()).toEqual({
      keys: [{ kty: 'EC', crv: 'P-256', x: first.publicJwk.x, y: first.publicJwk.y, kid: keys.currentKid, use: 'sig', alg: 'ES256' }],
    });
  });

  it('rotates: publish next, switch, and keep the retired key until its tokens have expired', async () => {
    const { keys, second, clock, advance } = setup();
    const firstKid = keys.currentKid;
    const oldToken = await keys.sign({ sub: 'alice' });

    // Published before it signs anything, so verifiers can fetch it in advance.
    const secondKid = keys.publishNext(second, { kid: 'second' });
    expect(kids(keys)).toEqual([firstKid, 'second']);
    expect(keys.nextKid).toBe('second');
    expect(JSON.parse(Buffer.from((await keys.sign({})).split('.')[0]!, 'base64url').toString()).kid).toBe(firstKid);

    keys.promoteNext();
    expect(keys.currentKid).toBe(secondKid);
    expect(keys.nextKid).toBeUndefined();
    const newToken = await keys.sign({ sub: 'bob' });
    expect(JSON.parse(Buffer.from(newToken.split('.')[0]!, 'base64url').toString()).kid).toBe('second');

    advance(HOUR - 1);
    expect(kids(keys)).toEqual([firstKid, 'second']);
    await expect(verifyJwt(oldToken, keys, { algorithms: ['ES256'], clock })).resolves.toBeDefined();

    advance(1);
    expect(kids(keys)).toEqual(['second']);
    await expect(verifyJwt(oldToken, keys, { algorithms: ['ES256'], clock })).rejects.toMatchObject({ code: 'TOKEN_KEY_NOT_FOUND' });
    await expect(verifyJwt(newToken, keys, { algorithms: ['ES256'], clock })).resolves.toBeDefined();
  });

  it('refuses a token signed by a key outside the set, even with a known kid', async () => {
    const { keys, clock } = setup();
    const stranger = testSigner('ES256', 'stranger');
    const token = await issueJwt(stranger, { kid: keys.currentKid }, {});
    const error = await verifyJwt(token, keys, { algorithms: ['ES256'], clock }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenError);
    expect((error as TokenError).code).toBe('TOKEN_SIGNATURE_INVALID');
  });

  it('removes a next or retired key at once, but never the current one', () => {
    const { keys, second } = setup();
    const firstKid = keys.currentKid;
    keys.publishNext(second);
    keys.promoteNext();
    expect(keys.remove(firstKid)).toBe(true);
    expect(kids(keys)).toEqual([keys.currentKid]);
    expect(() => keys.remove(keys.currentKid)).toThrow(TypeError);
    expect(keys.remove('unknown')).toBe(false);
  });

  it('refuses promoting without a next key, a duplicate kid, and a key that cannot sign a JWS', () => {
    const { keys, first, second } = setup();
    expect(() => keys.promoteNext()).toThrow(TypeError);
    expect(() => keys.publishNext(first)).toThrow(TypeError);
    expect(() => keys.publishNext({ ...second, algorithm: 'RSA-PKCS1-RAW' })).toThrow(TypeError);
    expect(() => new RotatingKeySet({ current: first, maxTokenLifetimeSeconds: 0 })).toThrow(TypeError);
  });

  it('replaces a next key that was never promoted', () => {
    const { keys, second } = setup();
    keys.publishNext(testSigner('ES256', 'abandoned'), { kid: 'abandoned' });
    keys.publishNext(second, { kid: 'second' });
    expect(kids(keys)).toEqual([keys.currentKid, 'second']);
  });
});
