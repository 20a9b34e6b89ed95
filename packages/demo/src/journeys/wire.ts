import * as oidc from 'openid-client';
import { UserAgent } from '@sigil/testkit';
import { discoverIssuer, redeemCode, startAuthorization } from '../clients/relying-party.js';
import { callbackOf, newUser, openLoginPage, register } from '../clients/sign-in-pages.js';
import { acmeClientFor, answerWireChallenge, certificateFacts, newWireOrder, wireCsr, wireIdentifiers } from '../clients/wire-acme.js';
import { DeviceKey } from '../clients/wire-device.js';
import { check, expectStatus } from '../runner/checks.js';
import { actingAs } from '../trace/participants.js';
import type { Journey } from './journey.js';

const CLIENT = 'Wire client';
const BROWSER = 'browser';
const AUTH = 'auth-server';
const ACME = 'acme-resource';

function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/**
 * The wire-e2ei seed: a signed-in user registers a device; the device
 * orders a certificate from acme-resource, proves itself to the backend
 * (auth-server) with a DPoP proof for a device access token (wire-dpop-01)
 * and its user with an ID token carrying the challenge (wire-oidc-01), then
 * finalizes the order with a CSR of the device key.
 */
export const wireJourney: Journey = {
  name: 'wire',
  label: 'Wire',
  title: 'device identity: DPoP access token, ACME order with wire-dpop-01 and wire-oidc-01, client certificate',
  async run(steps, world) {
    const issuer = world.urls['auth-server'];
    const { clientId, redirectUri } = world.clients.wire;
    const domain = world.wireDomain;
    const user = newUser('Grace');
    const browser = new UserAgent(issuer);
    const key = new DeviceKey();

    const { config, signIn, callback } = await steps.run(BROWSER, AUTH, `registration of "${user.username}" while signing in to the Wire app (code + PKCE)`, async (note) => {
      const config = await actingAs(CLIENT, () => discoverIssuer(issuer, clientId));
      const signIn = await startAuthorization(config, redirectUri, { scope: 'openid profile team' });
      const callback = callbackOf(await register(browser, await openLoginPage(browser, signIn.url), user), redirectUri);
      note('back at the app with a code (the app is first party: no consent page)');
      return { config, signIn, callback };
    });

    const account = await steps.run(CLIENT, AUTH, 'token request, then userinfo: team and handle', async (note) => {
      const tokens = await redeemCode(config, callback, signIn);
      const sub = tokens.claims()!.sub;
      const claims = await oidc.fetchUserInfo(config, tokens.access_token, sub);
      check(typeof claims.team_id === 'string', 'the user has no team');
      note(`user ${sub}, handle ${String(claims.handle)}, team ${claims.team_id}`);
      return { accessToken: tokens.access_token, team: claims.team_id };
    });
    const handle = `wireapp://%40${user.username}@${domain}`;

    const device = await steps.run(CLIENT, AUTH, 'device registration (POST /clients)', async (note) => {
      const response = await fetch(`${issuer}/clients`, { method: 'POST', headers: { authorization: `Bearer ${account.accessToken}` } });
      const body = JSON.parse(await expectStatus(response, 201, 'device registration')) as { id: string; client_id: string };
      note(`device ${body.id}, client id ${body.client_id}`);
      return { id: body.id, clientId: body.client_id };
    });
    const identity = { displayName: user.displayName, domain, handle, clientId: device.clientId, team: account.team };

    const acme = acmeClientFor(`${world.urls['acme-resource']}/directory`, key);
    await steps.run(CLIENT, ACME, 'ACME account, the device key as account key (ES256)', async (note) => {
      await acme.createAccount({ termsOfServiceAgreed: true });
      note(`account ${new URL(acme.getAccountUrl()).pathname}`);
    });

    const order = await steps.run(CLIENT, ACME, 'new order: a wireapp-user and a wireapp-device identifier', async (note) => {
      const order = await newWireOrder(acme, wireIdentifiers(identity));
      note(`wire-oidc-01 for the user (target ${order.user.challenge.target}), wire-dpop-01 for the device (target …${new URL(order.device.challenge.target).pathname})`);
      return order;
    });
    const dpop = order.device.challenge;

    const nonce = await steps.run(CLIENT, AUTH, 'backend nonce (HEAD /clients/:cid/nonce)', async (note) => {
      const response = await fetch(`${issuer}/clients/${device.id}/nonce`, { method: 'HEAD', headers: { authorization: `Bearer ${account.accessToken}` } });
      await expectStatus(response, 200, 'the nonce');
      const nonce = response.headers.get('replay-nonce');
      check(nonce !== null, 'no Replay-Nonce');
      note(`Replay-Nonce, single use, ${nonce.length} characters`);
      return nonce;
    });

    const accessToken = await steps.run(CLIENT, AUTH, 'DPoP access token: a proof signed by the device key (POST /clients/:cid/access-token)', async (note) => {
      const proof = await key.accessTokenProof(identity, dpop, nonce);
      const response = await fetch(dpop.target, { method: 'POST', headers: { authorization: `Bearer ${account.accessToken}`, dpop: proof } });
      const body = JSON.parse(await expectStatus(response, 200, 'the device access token')) as { token: string; type: string; expires_in: number };
      const claims = claimsOf(body.token);
      const thumbprint = await key.thumbprint();
      check((claims.cnf as { kid?: string } | undefined)?.kid === thumbprint, 'the token is not bound to the device key');
      note(`${body.type} token for ${body.expires_in} s: client_id ${String(claims.client_id)}, cnf.kid = the device key's thumbprint, scope ${String(claims.scope)}`);
      return body.token;
    });

    await steps.run(CLIENT, ACME, 'wire-dpop-01: the access token', async (note) => {
      const authorization = await answerWireChallenge(acme, order.device.authorization, dpop, { access_token: accessToken });
      note(`the device's authorization is ${authorization.status} (token and proof checked against the backend's JWKS)`);
    });

    const idToken = await steps.run(CLIENT, AUTH, 'ID token for wire-oidc-01: keyauth and acme_aud through the claims parameter', async (note) => {
      const keyauth = `${order.user.challenge.token}.${await key.thumbprint()}`;
      const claims = JSON.stringify({
        id_token: {
          keyauth: { essential: true, value: keyauth },
          acme_aud: { essential: true, value: order.user.challenge.url },
          name: { essential: true },
          preferred_username: { essential: true },
        },
      });
      const start = await startAuthorization(config, redirectUri, { scope: 'openid profile', claims });
      // The browser's session at auth-server signs the user in: no page this time.
      const back = await actingAs(BROWSER, async () => callbackOf(await browser.navigate(start.url.href), redirectUri));
      const tokens = await redeemCode(config, back, start);
      const idClaims = tokens.claims()!;
      check(idClaims.keyauth === keyauth && idClaims.acme_aud === order.user.challenge.url, 'the ID token does not carry the challenge');
      note(`ID token with keyauth = token.thumbprint, acme_aud = the challenge, preferred_username ${String(idClaims.preferred_username)}`);
      return tokens.id_token!;
    });

    await steps.run(CLIENT, ACME, 'wire-oidc-01: the ID token', async (note) => {
      const authorization = await answerWireChallenge(acme, order.user.authorization, order.user.challenge, { id_token: idToken });
      const current = await acme.getOrder(order.order);
      note(`the user's authorization is ${authorization.status} (checked against auth-server's JWKS); the order is ${current.status}`);
    });

    const finalized = await steps.run(CLIENT, ACME, 'finalize: a CSR signed by the device key', async (note) => {
      const finalized = await acme.finalizeOrder(order.order, await wireCsr(key, identity));
      note(`the order is ${finalized.status}`);
      return finalized;
    });

    await steps.run(CLIENT, ACME, 'the certificate', async (note) => {
      const facts = certificateFacts(await acme.getCertificate(finalized));
      check(facts.sans.includes(`URI:${handle}`) && facts.sans.includes(`URI:${device.clientId}`), `unexpected SANs: ${facts.sans.join(', ')}`);
      note(`subject ${facts.subject}; SAN ${facts.sans.join(', ')}; issuer ${facts.issuer}; valid until ${facts.notAfter.toISOString().slice(0, 10)}`);
    });
  },
};
