import * as oidc from 'openid-client';
import { describeWithRedis, UserAgent, type PageResponse } from '@sigil/testkit';
import { AccountStore } from '../../src/store/account-store.js';
import { startAuthServers, type AuthServerTestBed } from '../support/auth-server.js';
import { createTestAccount, uniqueUsername } from '../support/accounts.js';
import { authorizationRequest, callbackOf, discover } from '../support/relying-party.js';

const describeRedis = await describeWithRedis();
const TEAM = '0b0cd6a4-5e80-4c4c-9f69-6bf8ad3e2f63';

describeRedis('registration', () => {
  let bed: AuthServerTestBed;
  beforeAll(async () => {
    bed = await startAuthServers({ label: 'registration', env: { DEFAULT_TEAM_ID: TEAM } });
  });
  afterAll(() => bed?.close());

  const registrationPage = async (): Promise<{ agent: UserAgent; page: PageResponse; start: Awaited<ReturnType<typeof authorizationRequest>> }> => {
    const agent = new UserAgent(bed.url);
    const start = await authorizationRequest(await discover(bed.url, 'test-spa'), { scope: 'openid profile team' });
    const login = await agent.navigate(start.url.href);
    const link = /href="([^"]*\/register)"/.exec(login.body)![1]!;
    return { agent, start, page: await agent.navigate(new URL(link, login.url).href) };
  };

  const form = (username: string, overrides: Record<string, string> = {}) => ({
    username,
    displayName: 'Ada Lovelace',
    email: `${username}@example.test`,
    password: 'analytical engine 1843',
    passwordConfirmation: 'analytical engine 1843',
    ...overrides,
  });

  it('registers an account, signs the user in and continues the authorization', async () => {
    const { agent, page, start } = await registrationPage();
    expect(page.status).toBe(200);
    const username = uniqueUsername('ada');
    const consent = await agent.submit(page, '/register', form(username.toUpperCase()));
    expect(consent.status).toBe(200);
    const callback = callbackOf(await agent.submit(consent, '/consent', { decision: 'allow' }));
    const config = await discover(bed.url, 'test-spa');
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce });
    const account = await new AccountStore(bed.store).findByUsername(username);
    expect(account).toMatchObject({ username, handle: username, displayName: 'Ada Lovelace', email: `${username}@example.test`, teamId: TEAM, enabled: true });
    expect(account!.passwordHash).toMatch(/^\$scrypt\$/);
    expect(tokens.claims()).toMatchObject({ sub: account!.id });
    expect(await oidc.fetchUserInfo(config, tokens.access_token, account!.id)).toMatchObject({ team_id: TEAM, handle: username, preferred_username: username });
  });

  it('says field by field what is wrong, keeps what was typed (never the password), and stores nothing', async () => {
    const { agent, page } = await registrationPage();
    const username = uniqueUsername('bad');
    const refused = await agent.submit(page, '/register', {
      username: `${username} spaces`,
      displayName: '',
      email: 'not-an-address',
      password: 'short',
      passwordConfirmation: 'short',
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('Please correct the 4 fields marked below.');
    expect(refused.body).toContain('Use 2 to 32 characters');
    expect(refused.body).toContain('Enter a display name');
    expect(refused.body).toContain('Enter a valid e-mail address');
    expect(refused.body).toContain('Use at least 12 characters.');
    expect(refused.body).toContain('aria-invalid="true"');
    expect(refused.body).toContain('value="not-an-address"');
    expect(refused.body).not.toContain('value="short"');
    expect(await new AccountStore(bed.store).findByUsername(username)).toBeUndefined();

    const mismatch = await agent.submit(refused, '/register', form(uniqueUsername('mm'), { passwordConfirmation: 'analytical engine 1844' }));
    expect(mismatch.status).toBe(400);
    expect(mismatch.body).toContain('The two passwords differ.');
    const named = uniqueUsername('own');
    const containsName = await agent.submit(mismatch, '/register', form(named, { password: `my name is ${named}`, passwordConfirmation: `my name is ${named}` }));
    expect(containsName.body).toContain('must not contain your user name');
  });

  it('refuses a user name or e-mail address that is taken', async () => {
    const existing = await createTestAccount(bed.store);
    const { agent, page } = await registrationPage();
    const taken = await agent.submit(page, '/register', form(existing.username));
    expect(taken.status).toBe(409);
    expect(taken.body).toContain('This user name is taken');
    const email = await agent.submit(taken, '/register', form(uniqueUsername('mail'), { email: existing.email!.toUpperCase() }));
    expect(email.status).toBe(409);
    expect(email.body).toContain('An account with this e-mail address exists already');
  });

  it('lets only one of two concurrent registrations of a name win', async () => {
    const accounts = new AccountStore(bed.store);
    const username = uniqueUsername('race');
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => accounts.create({ username, displayName: 'Racer', email: null, passwordHash: null, teamId: null })),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: 'ACCOUNT_CONFLICT', field: 'username' });
    expect(await bed.store.ttl(`account-name:${username}`)).toBeNull();
  });
});

describeRedis('registration closed', () => {
  let bed: AuthServerTestBed;
  beforeAll(async () => {
    bed = await startAuthServers({ label: 'registration-closed', env: { REGISTRATION: 'false' } });
  });
  afterAll(() => bed?.close());

  it('offers no registration link, and the registration page does not exist', async () => {
    const agent = new UserAgent(bed.url);
    const start = await authorizationRequest(await discover(bed.url, 'test-spa'));
    const login = await agent.navigate(start.url.href);
    expect(login.body).not.toContain('/register');
    const uid = /\/interaction\/([^/"]+)\/login/.exec(login.body)![1]!;
    expect((await agent.request(`${bed.url}/interaction/${uid}/register`)).status).toBe(404);
  });
});
