import { describeWithRedis, UserAgent } from '@sigil/testkit';
import { startAuthServers, type AuthServerTestBed } from '../support/auth-server.js';
import { createTestAccount } from '../support/accounts.js';
import { discover, signInWithCode } from '../support/relying-party.js';

const describeRedis = await describeWithRedis();

describeRedis('keyauth and acme_aud in ID tokens, through the claims parameter', () => {
  let bed: AuthServerTestBed;
  beforeAll(async () => {
    bed = await startAuthServers({ label: 'wire-id-token' });
  });
  afterAll(() => bed?.close());

  it('puts the requested values into the ID token, and only there', async () => {
    const account = await createTestAccount(bed.store);
    const config = await discover(bed.url, 'test-spa');
    const keyauth = 'challenge-token.account-thumbprint';
    const acmeAud = 'https://acme.example.test/acme/wire/challenge/a/b';
    const claims = JSON.stringify({
      id_token: { keyauth: { essential: true, value: keyauth }, acme_aud: { essential: true, value: acmeAud }, name: { essential: true }, preferred_username: { essential: true } },
      userinfo: { keyauth: { value: keyauth } },
    });
    const tokens = await signInWithCode(config, new UserAgent(bed.url), account, { scope: 'openid profile', claims });
    expect(tokens.claims()).toMatchObject({ keyauth, acme_aud: acmeAud, name: account.displayName, preferred_username: account.username });

    const userinfo = await fetch(`${bed.url}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect((await userinfo.json()) as Record<string, unknown>).not.toHaveProperty('keyauth');
  });

  it('leaves them out when not asked for', async () => {
    const account = await createTestAccount(bed.store);
    const config = await discover(bed.url, 'test-spa');
    const tokens = await signInWithCode(config, new UserAgent(bed.url), account, { scope: 'openid profile' });
    expect(tokens.claims()).not.toHaveProperty('keyauth');
    expect(tokens.claims()).not.toHaveProperty('acme_aud');
  });
});
