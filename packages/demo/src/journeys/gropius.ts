import * as oidc from 'openid-client';
import { UserAgent } from '@sigil/testkit';
import { discoverIssuer, redeemCode, startAuthorization } from '../clients/relying-party.js';
import { callbackOf, newUser, openLoginPage, register } from '../clients/sign-in-pages.js';
import { check, expectPage, expectStatus } from '../runner/checks.js';
import { PEERS } from '../topology/topology.js';
import type { Journey } from './journey.js';

const CLIENT = 'Gropius client';
const BACKEND = 'Gropius backend';
const BROWSER = 'browser';
const AUTH = 'auth-server';

/**
 * The gropius-login seed: a public client gets tokens with the
 * authorization code flow and PKCE through the real login page (the user
 * registers there, then consents), refreshes them, and the user links an
 * account at the IMS, whose tokens auth-server keeps for Gropius's
 * backend to use at the IMS.
 */
export const gropiusJourney: Journey = {
  name: 'gropius',
  label: 'Gropius',
  title: 'public client with code + PKCE through the login page, refresh, a linked IMS account',
  async run(steps, world) {
    const issuer = world.urls['auth-server'];
    const { clientId, redirectUri } = world.clients.gropius;
    const user = newUser('Ada');
    const imsUser = { sub: `ims-${user.username}`, id: Math.floor(Math.random() * 1e6), login: `${user.username}-at-ims`, name: `${user.displayName} at IMS`, email: `${user.username}@ims.example` };
    const browser = new UserAgent(issuer, world.ims.url);

    const config = await steps.run(CLIENT, AUTH, 'discovery', async (note) => {
      const config = await discoverIssuer(issuer, clientId);
      const metadata = config.serverMetadata();
      check(metadata.code_challenge_methods_supported?.includes('S256'), 'auth-server does not offer PKCE with S256');
      note(`issuer ${metadata.issuer}, PKCE ${metadata.code_challenge_methods_supported?.join(', ')}`);
      return config;
    });

    const start = await startAuthorization(config, redirectUri, { scope: 'openid profile email offline_access', prompt: 'consent' });
    const login = await steps.run(BROWSER, AUTH, 'authorization request: code, PKCE S256, state, nonce', async (note) => {
      const page = await openLoginPage(browser, start.url);
      note('the login page, every form with its CSRF token');
      return page;
    });

    const consent = await steps.run(BROWSER, AUTH, `registration of "${user.username}" on the registration page`, async (note) => {
      const page = expectPage(await register(browser, login, user), 200, 'the consent page');
      check(page.body.includes('name="decision"'), 'registration did not lead to the consent page');
      note('signed in as the new account; the consent page asks for its profile, e-mail and offline access');
      return page;
    });

    const callback = await steps.run(BROWSER, AUTH, 'consent: allow', async (note) => {
      const url = callbackOf(await browser.submit(consent, '/consent', { decision: 'allow' }), redirectUri);
      note(`redirect to ${url.origin}${url.pathname} with a code, the state and iss`);
      return url;
    });

    const tokens = await steps.run(CLIENT, AUTH, 'token request: the code and the PKCE verifier', async (note) => {
      const tokens = await redeemCode(config, callback, start);
      const claims = tokens.claims();
      check(claims !== undefined && tokens.refresh_token !== undefined, 'no ID token or no refresh token');
      note(`ID token for sub ${claims.sub} (nonce checked); access token for ${tokens.expires_in} s; a refresh token`);
      return { sub: claims.sub, accessToken: tokens.access_token, refreshToken: tokens.refresh_token };
    });

    await steps.run(CLIENT, AUTH, 'userinfo with the access token', async (note) => {
      const claims = await oidc.fetchUserInfo(config, tokens.accessToken, tokens.sub);
      check(claims.preferred_username === user.username, `userinfo names ${String(claims.preferred_username)}`);
      note(`name "${String(claims.name)}", preferred_username ${claims.preferred_username}, email ${String(claims.email)}`);
    });

    await steps.run(CLIENT, AUTH, 'refresh token grant', async (note) => {
      const refreshed = await oidc.refreshTokenGrant(config, tokens.refreshToken);
      check(refreshed.refresh_token !== undefined && refreshed.refresh_token !== tokens.refreshToken, 'the refresh token was not rotated');
      note(`a new access token for ${refreshed.expires_in} s, and a new refresh token (the old one is spent)`);
    });

    world.ims.addUser(imsUser);
    world.ims.signInAs(imsUser);
    const accountPage = await steps.run(BROWSER, AUTH, 'the account page (the session signs in)', async (note) => {
      const page = expectPage(await browser.navigate(`${issuer}/account`), 200, 'the account page');
      check(page.body.includes('Link Example IMS'), 'the account page offers no IMS link');
      note('"Your account", offering "Link Example IMS"');
      return page;
    });

    await steps.run(BROWSER, PEERS.ims, 'link: authorization at the IMS, back to auth-server', async (note) => {
      const page = expectPage(await browser.submit(accountPage, '/account/links/ims'), 200, 'the account page after linking');
      check(page.body.includes('Example IMS is now linked.'), 'the IMS account was not linked');
      note(`linked as ${imsUser.login}; auth-server keeps the IMS tokens, encrypted`);
    });

    const backend = await steps.run(BACKEND, AUTH, 'client credentials grant, scope ims:read', async (note) => {
      const backendConfig = await discoverIssuer(issuer, world.clients.gropiusBackend.clientId, world.clients.gropiusBackend.clientSecret);
      const granted = await oidc.clientCredentialsGrant(backendConfig, { scope: 'ims:read' });
      note(`an opaque access token for the IMS token API, scope ${granted.scope ?? 'ims:read'}`);
      return granted.access_token;
    });

    const imsToken = await steps.run(BACKEND, AUTH, "the user's IMS token (IMS token API)", async (note) => {
      const response = await fetch(`${issuer}/internal/ims/ims/users/${encodeURIComponent(tokens.sub)}/token`, { headers: { authorization: `Bearer ${backend}` } });
      const body = JSON.parse(await expectStatus(response, 200, 'the IMS token API')) as { access_token: string; token_type: string; expires_at: number; scope?: string };
      note(`${body.token_type} token of the IMS, valid until ${new Date(body.expires_at * 1000).toISOString()}, scope ${body.scope ?? '—'}`);
      return body.access_token;
    });

    await steps.run(BACKEND, PEERS.ims, 'userinfo at the IMS with that token', async (note) => {
      const response = await fetch(`${world.ims.url}/me`, { headers: { authorization: `Bearer ${imsToken}` } });
      const claims = JSON.parse(await expectStatus(response, 200, "the IMS's userinfo")) as { sub: string; preferred_username?: string };
      check(claims.sub === imsUser.sub, `the IMS token is ${claims.sub}'s`);
      note(`the IMS answers for ${claims.preferred_username ?? claims.sub}`);
    });
  },
};
