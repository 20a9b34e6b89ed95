// The pages in a real browser: Debian's Chromium driven by playwright-core,
// with JavaScript turned off (every page must work without it). A screenshot
// of every page goes to test-artifacts/.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as oidc from 'openid-client';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { describeWhen, describeWithRedis, startHttp, type RunningServer } from '@sigil/testkit';
import { defaultClientsDocument } from '../support/auth-server.js';
import { createTestAccount, uniqueUsername } from '../support/accounts.js';
import { imsUser, startFederationBed, type FederationTestBed } from '../support/federation-bed.js';
import { authorizationRequest, discover } from '../support/relying-party.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const describeRedis = await describeWithRedis();
const describeChromium = describeWhen(existsSync(CHROMIUM), `Chromium at ${CHROMIUM}`);
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const NEWCOMER = imsUser(1, 'newcomer');

describeChromium('the pages in Chromium', () => {
  describeRedis('with Redis', () => {
    let federation: FederationTestBed;
    /** The client's side: a page that says the browser is back. */
    let rp: RunningServer;
    let callbackUrl: string;
    let context: BrowserContext;
    let page: Page;
    let profile: string;
    const violations: string[] = [];

    beforeAll(async () => {
      await mkdir(ARTIFACTS, { recursive: true });
      rp = await startHttp((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('back at the client');
      });
      callbackUrl = `${rp.url}/callback`;
      const browserClient = {
        client_id: 'browser-spa',
        client_name: 'Browser SPA',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        redirect_uris: [callbackUrl],
        scope: 'openid profile email',
      };
      federation = await startFederationBed('browser', [NEWCOMER], { clients: defaultClientsDocument({ clients: [browserClient] }) });
      profile = await mkdtemp(join(tmpdir(), 'sigil-chromium-'));
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        javaScriptEnabled: false,
        viewport: { width: 1024, height: 800 },
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      });
      page = context.pages()[0] ?? (await context.newPage());
      page.on('console', (message) => {
        if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
      });
    }, 60_000);
    afterAll(async () => {
      await context?.close();
      await federation?.close();
      await rp?.close();
      if (profile) await rm(profile, { recursive: true, force: true });
    });

    /** Where the browser lands at the client: the callback URL with the code. */
    const clientCallback = async (action: () => Promise<void>): Promise<URL> => {
      await action();
      await page.waitForURL((url) => url.href.startsWith(callbackUrl));
      return new URL(page.url());
    };
    const shoot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    const startAuthorization = async (parameters: Record<string, string> = {}) => {
      const spa = await discover(federation.bed.url, 'browser-spa');
      const start = await authorizationRequest(spa, { redirect_uri: callbackUrl, scope: 'openid profile email', ...parameters });
      await page.goto(start.url.href);
      return { spa, start };
    };

    it('registers a user with the keyboard only, who consents, and the client receives its code', async () => {
      const { spa, start } = await startAuthorization();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await shoot('login');
      await page.getByRole('link', { name: 'Create an account' }).click();
      await page.getByRole('heading', { name: 'Create an account' }).waitFor();
      await shoot('register');

      // A first attempt with a weak password shows what is wrong.
      const username = uniqueUsername('browser');
      await page.keyboard.type(username);
      await page.keyboard.press('Tab');
      await page.keyboard.type('Browser User');
      await page.keyboard.press('Tab');
      await page.keyboard.type(`${username}@example.test`);
      await page.keyboard.press('Tab');
      await page.keyboard.type('short');
      await page.keyboard.press('Tab');
      await page.keyboard.type('short');
      await page.keyboard.press('Enter');
      await page.getByText('Use at least 12 characters.').waitFor();
      await shoot('register-errors');

      await page.getByLabel('Password', { exact: true }).fill('a long enough passphrase');
      await page.getByLabel('Repeat the password').fill('a long enough passphrase');
      await page.getByLabel('Repeat the password').press('Enter');
      await page.getByRole('heading', { name: 'Allow Browser SPA?' }).waitFor();
      await shoot('consent');
      // "Allow" has the focus: Enter allows.
      const callback = await clientCallback(() => page.keyboard.press('Enter'));

      const tokens = await oidc.authorizationCodeGrant(spa, callback, { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce });
      const userinfo = await oidc.fetchUserInfo(spa, tokens.access_token, tokens.claims()!.sub);
      expect(userinfo).toMatchObject({ preferred_username: username, email: `${username}@example.test` });
      expect(violations).toEqual([]);
    });

    it('shows the error for a wrong password, and reads well on a phone', async () => {
      await context.clearCookies();
      const account = await createTestAccount(federation.bed.store);
      await startAuthorization();
      await page.getByLabel('User name').fill(account.username);
      await page.getByLabel('Password').fill('not the right password');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('alert').getByText('The user name or password is not correct.').waitFor();
      await shoot('login-error');

      await page.setViewportSize({ width: 375, height: 700 });
      await shoot('login-error-phone');
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow).toBeLessThanOrEqual(0);
      await page.setViewportSize({ width: 1024, height: 800 });
    });

    it('creates an account from a first external sign-in, then shows the linked accounts', async () => {
      await context.clearCookies();
      federation.ims.signInAs(NEWCOMER);
      await startAuthorization();
      await page.getByRole('button', { name: 'Sign in with Example IMS' }).click();
      await page.getByRole('heading', { name: 'Create your account' }).waitFor();
      await shoot('federated-confirm');
      await page.getByRole('button', { name: 'Create account and continue' }).click();
      await page.getByRole('heading', { name: 'Allow Browser SPA?' }).waitFor();
      const callback = await clientCallback(() => page.getByRole('button', { name: 'Allow' }).click());
      expect(callback.searchParams.get('code')).toBeTruthy();

      await page.goto(`${federation.bed.url}/account`);
      await page.getByRole('heading', { name: 'Your account' }).waitFor();
      await page.getByText('Linked as newcomer').waitFor();
      await shoot('account');
    });

    it('signs out from the account page', async () => {
      await page.getByRole('link', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign out?' }).waitFor();
      await shoot('logout');
      await page.getByRole('button', { name: 'Yes, sign me out' }).click();
      await page.getByRole('heading', { name: 'You are signed out' }).waitFor();
      await shoot('signed-out');
    });

    it('shows an error page, never a redirect, for a redirect_uri that is not registered', async () => {
      await startAuthorization({ redirect_uri: 'https://attacker.example.test/callback' });
      await page.getByRole('heading', { name: 'Sign-in cannot continue' }).waitFor();
      expect(page.url()).toContain(federation.bed.url);
      await shoot('error');
      expect(violations).toEqual([]);
    });
  });
});
