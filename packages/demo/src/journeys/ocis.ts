import { UserAgent } from '@sigil/testkit';
import { createClient, type FileStat } from 'webdav';
import { discoverIssuer, redeemCode, startAuthorization } from '../clients/relying-party.js';
import { callbackOf, newUser, openLoginPage, register } from '../clients/sign-in-pages.js';
import { bodySummary, check, CheckFailed, expectStatus } from '../runner/checks.js';
import { actingAs } from '../trace/participants.js';
import type { Journey } from './journey.js';

const WEB = 'oCIS web';
const DAV = 'WebDAV client';
const BROWSER = 'browser';
const AUTH = 'auth-server';
const PROXY = 'proxy';

/** A WebDAV call; a refusal is told with what the proxy's problem document says, not only its status line. */
async function davCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    // webdav's errors carry the fetch Response of its own fetch implementation: read, not instanceof-checked.
    const response = (error as { response?: Partial<Pick<Response, 'status' | 'headers' | 'text'>> }).response;
    if (typeof response?.status !== 'number' || typeof response.text !== 'function' || response.headers === undefined) throw error;
    throw new CheckFailed(`${response.status} ${bodySummary(response.headers.get('content-type'), await response.text())}`, { cause: error });
  }
}

/**
 * The ocis-proxy-request-flow seed: a user signed in at the IdP
 * (auth-server) asks for the content of their home with a bearer token;
 * the proxy asks the IdP who that is (userinfo), provisions an account on
 * first sight, mints an internal token and forwards the PROPFIND to the
 * storage (dav-storage).
 */
export const ocisJourney: Journey = {
  name: 'ocis',
  label: 'oCIS',
  title: 'WebDAV through the identity-aware proxy: bearer token, provisioning on first sight, the storage',
  async run(steps, world) {
    const issuer = world.urls['auth-server'];
    const { clientId, redirectUri } = world.clients.ocis;
    const user = newUser('Jane');
    const browser = new UserAgent(issuer);

    const { config, start, callback } = await steps.run(BROWSER, AUTH, `registration of "${user.username}" while signing in to oCIS web (code + PKCE)`, async (note) => {
      const config = await actingAs(WEB, () => discoverIssuer(issuer, clientId));
      const start = await startAuthorization(config, redirectUri, { scope: 'openid profile email' });
      const callback = callbackOf(await register(browser, await openLoginPage(browser, start.url), user), redirectUri);
      note('back at oCIS web with a code');
      return { config, start, callback };
    });

    const token = await steps.run(WEB, AUTH, 'token request', async (note) => {
      const tokens = await redeemCode(config, callback, start);
      // No resource indicator: an opaque token, which the proxy can only take to userinfo ("treat it as random byte noise").
      note(`an opaque access token for ${tokens.expires_in} s, for sub ${tokens.claims()!.sub}`);
      return tokens.access_token;
    });

    const dav = createClient(`${world.urls.proxy}/dav`, { headers: { authorization: `Bearer ${token}` } });
    await steps.run(DAV, PROXY, 'PROPFIND /dav/ with the bearer token: what is in my home?', async (note) => {
      const entries = (await davCall(() => dav.getDirectoryContents('/'))) as FileStat[];
      note(`207 Multi-Status, ${entries.length === 0 ? 'an empty home' : `${entries.length} entries`} (proxy: userinfo at auth-server, internal token, dav-storage)`);
    });

    const account = await steps.run(WEB, PROXY, 'GET /api/v1/me: the account behind the token', async (note) => {
      const response = await fetch(`${world.urls.proxy}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
      const me = JSON.parse(await expectStatus(response, 200, 'the account')) as { uuid: string; username: string; subject: string; enabled: boolean };
      check(me.username === user.username && me.enabled, 'not the signed-in user’s account, or not enabled');
      note(`provisioned on first sight: account ${me.uuid} for ${me.subject}`);
      return me;
    });

    await steps.run(DAV, PROXY, 'PUT /dav/hello.txt, then PROPFIND /dav/ again', async (note) => {
      await davCall(() => dav.putFileContents('/hello.txt', `hello from ${user.displayName}\n`));
      const entries = (await davCall(() => dav.getDirectoryContents('/'))) as FileStat[];
      check(entries.some((entry) => entry.basename === 'hello.txt'), 'the file is not in the home');
      note(`the home of ${account.uuid} holds ${entries.map((entry) => entry.basename).join(', ')}`);
    });

    await steps.run(DAV, PROXY, 'GET /dav/hello.txt', async (note) => {
      const text = (await davCall(() => dav.getFileContents('/hello.txt', { format: 'text' }))) as string;
      check(text === `hello from ${user.displayName}\n`, 'the file came back changed');
      note(`${Buffer.byteLength(text)} bytes, as written`);
    });
  },
};
