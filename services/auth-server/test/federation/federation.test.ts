import * as oidc from 'openid-client';
import type { ImsProvider } from '@sigil/stand-ins';
import { describeWithRedis, UserAgent, type PageResponse } from '@sigil/testkit';
import { AccountStore } from '../../src/store/account-store.js';
import type { AuthServerTestBed } from '../support/auth-server.js';
import { createTestAccount } from '../support/accounts.js';
import { imsUser, startFederationBed, type FederationTestBed } from '../support/federation-bed.js';
import { authorizationRequest, callbackOf, discover } from '../support/relying-party.js';

const describeRedis = await describeWithRedis();

const OCTO = imsUser(1, 'octocat');
const LINKER = imsUser(2, 'linker');
const DENIER = imsUser(3, 'denier');
const PLAIN = imsUser(4, 'plainuser');

describeRedis('signing in with, and linking, an external provider', () => {
  let federation: FederationTestBed;
  let ims: ImsProvider;
  let bed: AuthServerTestBed;
  beforeAll(async () => {
    federation = await startFederationBed('federation', [OCTO, LINKER, DENIER, PLAIN]);
    ({ ims, bed } = federation);
  });
  afterAll(() => federation?.close());

  const loginPage = async () => {
    const agent = new UserAgent(bed.url, ims.url);
    const spa = await discover(bed.url, 'test-spa');
    const start = await authorizationRequest(spa, { scope: 'openid profile' });
    return { agent, spa, start, page: await agent.navigate(start.url.href) };
  };

  it('offers the providers on the login page, and lets their authorization endpoints be form targets', async () => {
    const { page } = await loginPage();
    expect(page.body).toContain('Sign in with Example IMS');
    expect(page.body).toContain('Sign in with Plain OAuth');
    expect(page.headers.get('content-security-policy')).toContain(`form-action 'self' https://rp.example.test ${ims.url}`);
  });

  it('registers a new account from a first external sign-in after the user confirms, then signs in to it directly', async () => {
    ims.signInAs(OCTO);
    const first = await loginPage();
    const confirm = await first.agent.submit(first.page, '/federated/ims');
    expect(confirm.status).toBe(200);
    expect(confirm.body).toContain('Create your account');
    expect(confirm.body).toContain('value="octocat"');
    expect(confirm.body).toContain('value="octocat at IMS"');
    const consent = await first.agent.submit(confirm, '', { username: 'octocat', displayName: 'Octo Cat', email: OCTO.email });
    const callback = callbackOf(await first.agent.submit(consent, '/consent', { decision: 'allow' }));
    const tokens = await oidc.authorizationCodeGrant(first.spa, callback, { pkceCodeVerifier: first.start.verifier, expectedState: first.start.state, expectedNonce: first.start.nonce });
    const account = await new AccountStore(bed.store).findByUsername('octocat');
    expect(account).toMatchObject({ displayName: 'Octo Cat', passwordHash: null });
    expect(tokens.claims()?.sub).toBe(account!.id);

    const again = await loginPage();
    const consentAgain = await again.agent.submit(again.page, '/federated/ims');
    expect(consentAgain.body).toContain('name="decision"');
    const callbackAgain = callbackOf(await again.agent.submit(consentAgain, '/consent', { decision: 'allow' }));
    const tokensAgain = await oidc.authorizationCodeGrant(again.spa, callbackAgain, { pkceCodeVerifier: again.start.verifier, expectedState: again.start.state, expectedNonce: again.start.nonce });
    expect(tokensAgain.claims()?.sub).toBe(account!.id);
  });

  it('signs in with a plain OAuth 2.0 provider, reading who the user is from its API', async () => {
    ims.signInAs(PLAIN);
    const { agent, page } = await loginPage();
    const confirm = await agent.submit(page, '/federated/plain');
    expect(confirm.body).toContain('value="plainuser"');
    await agent.submit(confirm, '', { username: 'plainuser', displayName: 'Plain User', email: '' });
    expect(await new AccountStore(bed.store).findByUsername('plainuser')).toBeDefined();
  });

  it('comes back to the login page, saying so, when the user refuses at the provider', async () => {
    ims.signInAs('deny');
    const { agent, page } = await loginPage();
    const back = await agent.submit(page, '/federated/ims');
    expect(back.status).toBe(400);
    expect(back.body).toContain('The sign-in at the provider was cancelled.');
    expect(back.body).toContain('name="password"');
  });

  it('refuses a callback with an unknown or replayed state', async () => {
    const response = await new UserAgent(bed.url).request(`${bed.url}/federation/callback?code=x&state=forged`);
    expect(response.status).toBe(400);
    expect(response.body).toContain('This sign-in has expired');
  });

  const signInToAccountPage = async (credentials: { username: string; password: string }): Promise<{ agent: UserAgent; page: PageResponse }> => {
    const agent = new UserAgent(bed.url, ims.url);
    const login = await agent.navigate(`${bed.url}/account`);
    const page = await agent.submit(login, '/login', credentials);
    return { agent, page };
  };

  it('links and unlinks a provider from the account page; a linked identity signs in to that account', async () => {
    const local = await createTestAccount(bed.store);
    const { agent, page } = await signInToAccountPage(local);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Your account');
    expect(page.body).toContain('Link Example IMS');

    ims.signInAs(LINKER);
    const linked = await agent.submit(page, '/account/links/ims');
    expect(linked.url).toMatch(/\/account\?linked=ims$/);
    expect(linked.body).toContain('Example IMS is now linked.');
    expect(linked.body).toContain('Linked as linker');

    // The external identity now opens the local account.
    const { agent: other, page: login, spa, start } = await loginPage();
    const consent = await other.submit(login, '/federated/ims');
    const callback = callbackOf(await other.submit(consent, '/consent', { decision: 'allow' }));
    const tokens = await oidc.authorizationCodeGrant(spa, callback, { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce });
    expect(tokens.claims()?.sub).toBe(local.id);

    // Another account cannot take the same identity.
    const intruder = await createTestAccount(bed.store);
    const second = await signInToAccountPage(intruder);
    const refused = await second.agent.submit(second.page, '/account/links/ims');
    expect(refused.body).toContain('linked to another Sigil account already');

    const revocations = ims.counts.revocation;
    const unlinked = await agent.submit(linked, '/account/links/ims/unlink');
    expect(unlinked.body).toContain('Example IMS is no longer linked.');
    expect(unlinked.body).toContain('Link Example IMS');
    expect(ims.counts.revocation).toBe(revocations + 1);
  });

  it('sends an account page visitor without a session to sign in first', async () => {
    const response = await new UserAgent(bed.url).request(`${bed.url}/account`);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/authorize\?client_id=sigil-account&/);
  });
});
