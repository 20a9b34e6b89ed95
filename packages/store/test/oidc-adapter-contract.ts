// The behaviour of the oidc-provider adapter, run on each Store
// implementation: what oidc-provider needs (find, consume, revoke by grant,
// lookups by uid and user code) and what Sigil adds (single consumption and
// create-only replay marks under concurrency, hashed keys, expiring indexes).
import { setTimeout as sleep } from 'node:timers/promises';
import { createOidcAdapterFactory, type OidcAdapter, type OidcAdapterOptions } from '../src/oidc-adapter.js';
import { OidcPayloadAlreadyConsumed, OidcPayloadReplayed } from '../src/oidc-adapter-errors.js';
import type { Store } from '../src/store.js';

const HOUR_S = 3600;

/** Resolves once `condition` holds; fails after two seconds. */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  const started = performance.now();
  while (!(await condition())) {
    if (performance.now() - started > 2_000) throw new Error('not within 2 s');
    await sleep(5);
  }
}

export function describeOidcAdapterContract(
  name: string,
  open: () => { store: Store; replica: Store; keys: () => Iterable<string> },
  options: OidcAdapterOptions = {},
): void {
  describe(`${name}: the oidc-provider adapter`, () => {
    let store: Store;
    let replica: Store;
    let keys: () => Iterable<string>;
    let adapter: (model: string) => OidcAdapter;
    let counter = 0;
    const unique = (what: string): string => `${what}-${++counter}-${Math.random().toString(36).slice(2)}`;

    beforeAll(() => {
      ({ store, replica, keys } = open());
      adapter = createOidcAdapterFactory(store, options);
    });
    afterAll(async () => {
      await store.close();
      if (replica !== store) await replica.close();
    });

    it('stores and finds a payload, its id (the token) neither in a key nor in the stored JSON', async () => {
      const id = unique('token-value');
      const tokens = adapter('AccessToken');
      await tokens.upsert(id, { jti: id, kind: 'AccessToken', accountId: 'a1', exp: 1 }, HOUR_S);
      expect(await tokens.find(id)).toEqual({ jti: id, kind: 'AccessToken', accountId: 'a1', exp: 1 });
      expect(await tokens.find(unique('other'))).toBeUndefined();
      const written = [...keys()];
      expect(written.some((key) => key.includes(id))).toBe(false);
      const values = await store.getMany(written.filter((key) => key.startsWith('oidc:AccessToken:')));
      expect(values.some((value) => value?.includes(id))).toBe(false);
      expect(values.some((value) => value?.includes('"accountId":"a1"'))).toBe(true);
    });

    it('gives every payload its TTL, and forgets one saved already expired', async () => {
      const id = unique('code');
      const codes = adapter('AuthorizationCode');
      await codes.upsert(id, { jti: id }, 0.08);
      expect(await codes.find(id)).toBeDefined();
      await sleep(200);
      expect(await codes.find(id)).toBeUndefined();
      await codes.upsert(id, { jti: id }, 60);
      await codes.upsert(id, { jti: id }, 0);
      expect(await codes.find(id)).toBeUndefined();
    });

    it('lets exactly one of many concurrent consumers (on two replicas) consume a payload', async () => {
      const id = unique('refresh');
      const grantId = unique('grant');
      await adapter('RefreshToken').upsert(id, { jti: id, grantId }, HOUR_S);
      const other = createOidcAdapterFactory(replica)('RefreshToken');
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? adapter('RefreshToken') : other).consume(id)),
      );
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
      expect(rejected).toHaveLength(9);
      for (const { reason } of rejected) {
        expect(reason).toBeInstanceOf(OidcPayloadAlreadyConsumed);
        expect(reason).toMatchObject({ code: 'OIDC_PAYLOAD_ALREADY_CONSUMED', model: 'RefreshToken', grantId });
      }
      const found = await other.find(id);
      expect(typeof found?.consumed).toBe('number');
    });

    it('refuses to consume a payload that is gone', async () => {
      await expect(adapter('AuthorizationCode').consume(unique('missing'))).rejects.toMatchObject({
        code: 'OIDC_PAYLOAD_ALREADY_CONSUMED',
        grantId: undefined,
      });
    });

    it('revokes every token of a grant across models, and only those', async () => {
      const grantId = unique('grant');
      const [code, refresh, access, bystander] = [unique('c'), unique('r'), unique('a'), unique('b')];
      await adapter('AuthorizationCode').upsert(code, { jti: code, grantId }, 60);
      await adapter('RefreshToken').upsert(refresh, { jti: refresh, grantId }, 14 * 24 * HOUR_S);
      await adapter('AccessToken').upsert(access, { jti: access, grantId }, HOUR_S);
      await adapter('AccessToken').upsert(bystander, { jti: bystander, grantId: unique('grant') }, HOUR_S);
      await adapter('AuthorizationCode').consume(code);

      await adapter('AccessToken').revokeByGrantId(grantId);

      expect(await adapter('AuthorizationCode').find(code)).toBeUndefined();
      expect(await adapter('RefreshToken').find(refresh)).toBeUndefined();
      expect(await adapter('AccessToken').find(access)).toBeUndefined();
      expect(await adapter('AccessToken').find(bystander)).toBeDefined();
      const buckets = Array.from({ length: 32 }, (_, bucket) => `oidc:grant:${grantId}:${bucket}`);
      expect((await Promise.all(buckets.map((key) => store.members(key)))).flat()).toEqual([]);
      // Revoking again (oidc-provider calls it once per model) is harmless.
      await adapter('RefreshToken').revokeByGrantId(grantId);
    });

    it('keeps a grant index at least as long as its tokens, and not much longer', async () => {
      const grantId = unique('grant');
      const long = 30 * 24 * HOUR_S;
      await adapter('RefreshToken').upsert(unique('r'), { grantId }, long);
      await adapter('AccessToken').upsert(unique('a'), { grantId }, 60);
      await adapter('AccessToken').upsert(unique('a'), { grantId }, 50);
      // 30 days fall in the 2^22 s bucket, 50 and 60 s in the 2^6 s one.
      const longTtl = await store.ttl(`oidc:grant:${grantId}:22`);
      expect(longTtl!).toBeGreaterThan(long * 1000);
      expect(longTtl!).toBeLessThanOrEqual(2 ** 22 * 1000);
      const shortTtl = await store.ttl(`oidc:grant:${grantId}:6`);
      expect(shortTtl!).toBeGreaterThan(60_000);
      expect(shortTtl!).toBeLessThanOrEqual(64_000);
      expect(await store.members(`oidc:grant:${grantId}:6`)).toHaveLength(2);
    });

    it('finds a session by its uid and a device code by its user code, until destroyed', async () => {
      const sessions = adapter('Session');
      const id = unique('session');
      const uid = unique('uid');
      await sessions.upsert(id, { jti: id, uid, accountId: 'a1' }, HOUR_S);
      expect(await sessions.findByUid(uid)).toMatchObject({ jti: id, uid, accountId: 'a1' });
      expect(await sessions.findByUid(unique('uid'))).toBeUndefined();
      await sessions.destroy(id);
      expect(await sessions.findByUid(uid)).toBeUndefined();
      expect(await sessions.find(id)).toBeUndefined();

      const devices = adapter('DeviceCode');
      const code = unique('device');
      const grantId = unique('grant');
      await devices.upsert(code, { jti: code, userCode: 'ABCD-EFGH', grantId }, 600);
      expect(await devices.findByUserCode('ABCD-EFGH')).toMatchObject({ jti: code });
      await devices.destroy(code);
      expect(await devices.findByUserCode('ABCD-EFGH')).toBeUndefined();
      expect(await devices.find(code)).toBeUndefined();
    });

    it('tells what a find would answer from memory, until a replica changes it', async () => {
      const nearCached = (options.nearCachedModels ?? []).includes('Session');
      const sessions = adapter('Session');
      const id = unique('session');
      const uid = unique('uid');
      await sessions.upsert(id, { jti: id, uid, accountId: 'a1' }, HOUR_S);
      if (!nearCached) {
        await sessions.find(id);
        expect(sessions.heldFor(id)).toBeUndefined();
        expect(sessions.heldForUid(uid)).toBeUndefined();
        return;
      }
      // Kept once the near cache is tracking (right after start-up it may not be yet).
      await until(async () => (await sessions.findByUid(uid)) !== undefined && sessions.heldForUid(uid) !== undefined);
      const held = sessions.heldForUid(uid)!;
      expect(held).toHaveLength(3);
      const generation = sessions.generation;
      await sessions.findByUid(uid);
      expect(sessions.heldForUid(uid)).toEqual(held);
      expect(sessions.heldForUid(uid)!.every((entry, i) => entry === held[i])).toBe(true);

      await createOidcAdapterFactory(replica)('Session').destroy(id);
      await until(() => sessions.heldForUid(uid) === undefined);
      expect(sessions.generation).not.toBe(generation);
      expect(await sessions.findByUid(uid)).toBeUndefined();
    });

    it('accepts a replay-detection mark once, even from concurrent replicas', async () => {
      const id = unique('jti');
      const other = createOidcAdapterFactory(replica)('ReplayDetection');
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? adapter('ReplayDetection') : other).upsert(id, { jti: id, iss: 'c' }, 60)),
      );
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      for (const result of results) {
        if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(OidcPayloadReplayed);
      }
      expect(await other.find(id)).toMatchObject({ iss: 'c' });
    });

  });
}
