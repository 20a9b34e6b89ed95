import { UserAgent } from '@sigil/testkit';
import { createClient, type FileStat } from 'webdav';
import { discoverIssuer, redeemCode, startAuthorization } from '../clients/relying-party.js';
import { callbackOf, newUser, openLoginPage, register, type NewUser } from '../clients/sign-in-pages.js';
import { bodySummary, check, CheckFailed, expectStatus } from '../runner/checks.js';
import type { StepRunner } from '../runner/step-runner.js';
import type { DemoWorld } from '../topology/world.js';
import { actingAs } from '../trace/participants.js';
import type { Journey } from './journey.js';

const WEB = 'oCIS web';
const DAV = 'WebDAV client';
const BROWSER = 'browser';
const AUTH = 'auth-server';
const PROXY = 'proxy';

type DavResponse = Pick<Response, 'status' | 'headers' | 'text'>;

/** The response a webdav error carries: the fetch Response of its own fetch implementation, so read, not instanceof-checked. */
function responseOf(error: unknown): DavResponse | undefined {
  const response = (error as { response?: Partial<DavResponse> } | null)?.response;
  return typeof response?.status === 'number' && typeof response.text === 'function' && response.headers !== undefined ? (response as DavResponse) : undefined;
}

/** A WebDAV call; a refusal is told with what the proxy's problem document says, not only its status line. */
async function davCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const response = responseOf(error);
    if (response === undefined) throw error;
    throw new CheckFailed(`${response.status} ${bodySummary(response.headers.get('content-type'), await response.text())}`, { cause: error });
  }
}

/** What a refused WebDAV call was answered: the status, the challenges and the problem's type. */
interface DavRefusal {
  readonly status: number;
  readonly wwwAuthenticate: string | null;
  readonly problemType: string | undefined;
}

/** A WebDAV call that must be refused; its answer, read from the error webdav throws. */
async function davRefusal(call: () => Promise<unknown>): Promise<DavRefusal> {
  try {
    await call();
  } catch (error) {
    const response = responseOf(error);
    if (response === undefined) throw error;
    const text = await response.text();
    const problem = response.headers.get('content-type')?.startsWith('application/problem+json') ? (JSON.parse(text) as { type?: unknown }) : {};
    return { status: response.status, wwwAuthenticate: response.headers.get('www-authenticate'), problemType: typeof problem.type === 'string' ? problem.type : undefined };
  }
  throw new CheckFailed('the request was let through');
}

/**
 * A user registers at auth-server while signing in to oCIS web (code +
 * PKCE), and oCIS web redeems the code: two steps, ending with the user's
 * opaque access token.
 */
async function signInToOcisWeb(steps: StepRunner, world: DemoWorld, user: NewUser, role?: string): Promise<string> {
  const issuer = world.urls['auth-server'];
  const { clientId, redirectUri } = world.clients.ocis;
  const browser = new UserAgent(issuer);

  const { config, start, callback } = await steps.run(BROWSER, AUTH, `registration of "${user.username}"${role === undefined ? '' : ` (${role})`} while signing in to oCIS web (code + PKCE)`, async (note) => {
    const config = await actingAs(WEB, () => discoverIssuer(issuer, clientId));
    const start = await startAuthorization(config, redirectUri, { scope: 'openid profile email' });
    const callback = callbackOf(await register(browser, await openLoginPage(browser, start.url), user), redirectUri);
    note('back at oCIS web with a code');
    return { config, start, callback };
  });

  return steps.run(WEB, AUTH, 'token request', async (note) => {
    const tokens = await redeemCode(config, callback, start);
    // No resource indicator: an opaque token, which the proxy can only take to userinfo ("treat it as random byte noise").
    note(`an opaque access token for ${tokens.expires_in} s, for sub ${tokens.claims()!.sub}`);
    return tokens.access_token;
  });
}

/**
 * The ocis-proxy-request-flow seed: a user signed in at the IdP
 * (auth-server) asks for the content of their home with a bearer token;
 * the proxy asks the IdP who that is (userinfo), provisions an account on
 * first sight, mints an internal token and forwards the PROPFIND to the
 * storage (dav-storage). Then the administrator the proxy's settings name
 * (`PROXY_ADMIN_USERS`, as auth-server gives nobody an admin scope or
 * group) signs in and disables that account through the proxy's admin API,
 * and the user's next request is refused: the seed's "account has been
 * disabled → 401".
 */
export const ocisJourney: Journey = {
  name: 'ocis',
  label: 'oCIS',
  title: 'WebDAV through the identity-aware proxy: bearer token, provisioning on first sight, the storage, a disabled account refused',
  async run(steps, world) {
    const user = newUser('Jane');
    const token = await signInToOcisWeb(steps, world, user);

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

    const admin = newUser('Ops', world.ocisAdmin);
    const adminToken = await signInToOcisWeb(steps, world, admin, 'the administrator the proxy’s PROXY_ADMIN_USERS names');

    await steps.run(WEB, PROXY, `POST /api/v1/accounts/:uuid/disable with ${admin.username}’s token: disable ${user.username}’s account`, async (note) => {
      const response = await fetch(`${world.urls.proxy}/api/v1/accounts/${account.uuid}/disable`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` } });
      const disabled = JSON.parse(await expectStatus(response, 200, 'the admin API')) as { uuid: string; enabled: boolean };
      check(disabled.uuid === account.uuid && !disabled.enabled, 'the account is still enabled');
      note(`account ${disabled.uuid} disabled; ${admin.username} is an administrator by PROXY_ADMIN_USERS alone (auth-server gives no admin scope or group)`);
    });

    await steps.run(DAV, PROXY, `PROPFIND /dav/ with ${user.username}’s bearer token again`, async (note) => {
      const refused = await davRefusal(() => dav.getDirectoryContents('/'));
      check(refused.status === 401 && refused.problemType === 'urn:sigil:problem:account-disabled', `answered ${refused.status} ${refused.problemType ?? ''}`.trim());
      note(`refused: ${refused.status} ${refused.problemType}; WWW-Authenticate: ${refused.wwwAuthenticate ?? 'none'}`);
    });
  },
};
