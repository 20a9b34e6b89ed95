import { Writable } from 'node:stream';
import { createLogger } from '@sigil/service-kit';
import { describeWithRedis, findForm, UserAgent, type PageResponse } from '@sigil/testkit';
import { AccountStore } from '../../src/store/account-store.js';
import { startAuthServers, type AuthServerTestBed } from '../support/auth-server.js';
import { createTestAccount, uniqueUsername } from '../support/accounts.js';
import { authorizationRequest, callbackOf, discover } from '../support/relying-party.js';

const describeRedis = await describeWithRedis();

describeRedis('password sign-in', () => {
  let bed: AuthServerTestBed;
  const logLines: string[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    bed = await startAuthServers({
      label: 'sign-in',
      env: { LOGIN_MAX_FAILURES: '3', LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '1000', PASSWORD_SCRYPT_LOG_N: '11' },
      logger: createLogger('auth-server', 'trace', sink),
    });
  });
  afterAll(() => bed?.close());

  /** A fresh browser on the login page of a new authorization request. */
  const loginPage = async (): Promise<{ agent: UserAgent; page: PageResponse }> => {
    const agent = new UserAgent(bed.url);
    const start = await authorizationRequest(await discover(bed.url, 'test-spa'));
    return { agent, page: await agent.navigate(start.url.href) };
  };
  const visibleText = (page: PageResponse) => page.body.replace(/<input type="hidden"[^>]*>/g, '').replace(/value="[^"]*"/g, '').replace(/\/interaction\/[^/"]+/g, '');

  it('answers an unknown user name and a wrong password alike', async () => {
    const account = await createTestAccount(bed.store);
    const wrongPassword = await loginPage();
    const a = await wrongPassword.agent.submit(wrongPassword.page, '/login', { username: account.username, password: 'not the password at all' });
    const unknownUser = await loginPage();
    const b = await unknownUser.agent.submit(unknownUser.page, '/login', { username: uniqueUsername('ghost'), password: 'not the password at all' });
    expect([a.status, b.status]).toEqual([401, 401]);
    expect(a.body).toContain('The user name or password is not correct.');
    expect(visibleText(a)).toBe(visibleText(b));
  });

  it('never writes a password to the log', async () => {
    const account = await createTestAccount(bed.store, { password: 'a very secret passphrase 42' });
    const { agent, page } = await loginPage();
    await agent.submit(page, '/login', { username: account.username, password: 'a wrong secret passphrase 43' });
    const retry = await loginPage();
    callbackOf(await retry.agent.submit(retry.page, '/login', { username: account.username, password: account.password }).then((consent) => retry.agent.submit(consent, '/consent', { decision: 'allow' })));
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toMatch(/secret passphrase/);
  });

  it('locks an account name after too many failures, whatever the password, without touching other accounts', async () => {
    const account = await createTestAccount(bed.store);
    const other = await createTestAccount(bed.store);
    for (let i = 0; i < 3; i++) {
      const { agent, page } = await loginPage();
      expect((await agent.submit(page, '/login', { username: account.username, password: `wrong-${i}-password` })).status).toBe(401);
    }
    const { agent, page } = await loginPage();
    const locked = await agent.submit(page, '/login', { username: account.username, password: account.password });
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBeTruthy();
    expect(locked.body).toContain('Too many sign-in attempts');

    const fresh = await loginPage();
    const consent = await fresh.agent.submit(fresh.page, '/login', { username: other.username, password: other.password });
    expect(consent.status).toBe(200);
  });

  it('refuses a form without its CSRF token, or with another form’s, and counts nothing', async () => {
    const account = await createTestAccount(bed.store);
    const { agent, page } = await loginPage();
    const form = findForm(page.body, '/login');
    const missing = await agent.request(new URL(form.action, page.url).href, { method: 'POST', form: { username: account.username, password: 'wrong' } });
    expect(missing.status).toBe(403);
    expect(missing.body).toContain('This form has expired');
    const abortToken = findForm(page.body, '/abort').hidden._csrf!;
    const swapped = await agent.request(new URL(form.action, page.url).href, { method: 'POST', form: { _csrf: abortToken, username: account.username, password: 'wrong' } });
    expect(swapped.status).toBe(403);
    const foreign = await new UserAgent(bed.url).request(new URL(form.action, page.url).href, { method: 'POST', form: { ...form.hidden, username: account.username, password: account.password } });
    expect(foreign.status).toBe(403);
    // None of those counted as failures: the right password still works.
    const consent = await agent.submit(page, '/login', { username: account.username, password: account.password });
    expect(consent.status).toBe(200);
  });

  it('refuses a disabled account like a wrong password', async () => {
    const account = await createTestAccount(bed.store);
    const accounts = new AccountStore(bed.store);
    await accounts.save({ ...(await accounts.findById(account.id))!, enabled: false });
    const { agent, page } = await loginPage();
    const refused = await agent.submit(page, '/login', { username: account.username, password: account.password });
    expect(refused.status).toBe(401);
  });

  it('upgrades a hash made with older scrypt parameters at the next sign-in', async () => {
    const account = await createTestAccount(bed.store);
    expect(account.passwordHash).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$/);
    const { agent, page } = await loginPage();
    await agent.submit(page, '/login', { username: account.username.toUpperCase(), password: account.password });
    const stored = await new AccountStore(bed.store).findById(account.id);
    expect(stored!.passwordHash).toMatch(/^\$scrypt\$ln=11,r=8,p=1\$/);
  });
});

describeRedis('sign-in limits per client address', () => {
  let bed: AuthServerTestBed;
  beforeAll(async () => {
    bed = await startAuthServers({ label: 'address-limit', env: { LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '3' } });
  });
  afterAll(() => bed?.close());

  it('refuses the attempts of an address beyond its limit, for any user name', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const agent = new UserAgent(bed.url);
      const start = await authorizationRequest(await discover(bed.url, 'test-spa'));
      const page = await agent.navigate(start.url.href);
      statuses.push((await agent.submit(page, '/login', { username: uniqueUsername('spray'), password: 'some password 123' })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});
