import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { jwkThumbprint } from '@sigil/crypto';
import { RemoteJwks, verifyJwt } from '@sigil/tokens';
import { createSoftHsmToken, describeWhen, describeWithRedis, fixtureKey, softHsmAvailable, UserAgent } from '@sigil/testkit';
import { startAuthServers, type AuthServerTestBed } from '../support/auth-server.js';
import { createTestAccount } from '../support/accounts.js';
import { discover, signInWithCode } from '../support/relying-party.js';

const describeRedis = await describeWithRedis();
const describeSoftHsm = describeWhen(softHsmAvailable(), 'SoftHSM2');

/** The kid (RFC 7638 thumbprint) of the fixture key with this name. */
const kidOf = (name: string) => {
  const jwk = fixtureKey('RSA-2048', name).publicKey.export({ format: 'jwk' });
  return jwkThumbprint(jwk);
};
const headerKid = (jwt: string) => (JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;
const publishedKids = async (url: string) => ((await (await fetch(`${url}/jwks`)).json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid);

describeRedis('signing key rotation without downtime', () => {
  let bed: AuthServerTestBed;
  afterAll(() => bed?.close());

  it('publishes the next key before it signs, switches, and keeps the retired key published', async () => {
    bed = await startAuthServers({ label: 'rotation' });
    const next = join(bed.dir, 'next.pem');
    await writeFile(next, fixtureKey('RSA-2048', 'rotation-next').privateKeyPem);
    const current = bed.env.SIGNING_KEYS!;
    const [currentKid, nextKid] = [kidOf('auth-server-signing'), kidOf('rotation-next')];
    const account = await createTestAccount(bed.store);

    // Step 1: every replica publishes the next key; the current one still signs.
    const first = await bed.addReplica({ SIGNING_KEY_NEXT: next });
    bed.switchboard.use(1);
    expect(await publishedKids(bed.url)).toEqual([currentKid, nextKid]);
    const before = await signInWithCode(await discover(bed.url, 'test-spa'), new UserAgent(bed.url), account, { scope: 'openid' });
    expect(headerKid(before.id_token!)).toBe(currentKid);

    // Step 2: the next key signs; the former one is retired but still published.
    await bed.addReplica({ SIGNING_KEYS: `${next},${current}` });
    bed.switchboard.use(2);
    expect(await publishedKids(bed.url)).toEqual([nextKid, currentKid]);
    const after = await signInWithCode(await discover(bed.url, 'test-spa'), new UserAgent(bed.url), account, { scope: 'openid' });
    expect(headerKid(after.id_token!)).toBe(nextKid);
    // A token signed before the switch still verifies against what is published now.
    await verifyJwt(before.id_token!, new RemoteJwks(`${bed.url}/jwks`), { algorithms: ['RS256'], iss: bed.url, aud: 'test-spa' });
    // And one signed after it against a replica still on step 1, mid-rollout.
    expect(await publishedKids(first.url)).toContain(nextKid);
  });
});

describeSoftHsm('a signing key on a PKCS#11 token', () => {
  describeRedis('with Redis', () => {
    it('signs ID tokens with a key that never leaves the token', async () => {
      const key = fixtureKey('RSA-2048', 'pkcs11-signing');
      const token = await createSoftHsmToken([{ label: 'oidc-signing', privateKeyPem: key.privateKeyPem }]);
      const bed = await startAuthServers({ label: 'pkcs11', env: { SIGNING_KEYS: token.uri('oidc-signing') } });
      try {
        const account = await createTestAccount(bed.store);
        const config = await discover(bed.url, 'test-spa');
        const tokens = await signInWithCode(config, new UserAgent(bed.url), account, { scope: 'openid' });
        expect(headerKid(tokens.id_token!)).toBe(jwkThumbprint(key.publicKey.export({ format: 'jwk' })));
        expect(tokens.claims()?.sub).toBe(account.id);
        expect((await oidc.fetchUserInfo(config, tokens.access_token, account.id)).sub).toBe(account.id);
      } finally {
        await bed.close();
        await token.remove();
      }
    });
  });
});
