import * as oidc from 'openid-client';
import { signerFromKeyObject } from '@sigil/crypto';
import { createDpopProof } from '@sigil/tokens';
import { describeWithRedis, fixtureKey, UserAgent } from '@sigil/testkit';
import { SERVICE_SECRET, startAuthServers, type AuthServerTestBed } from '../support/auth-server.js';
import { createTestAccount } from '../support/accounts.js';
import { discover, signInWithCode } from '../support/relying-party.js';

const describeRedis = await describeWithRedis();

describeRedis('DPoP-bound tokens with server nonces (RFC 9449)', () => {
  let bed: AuthServerTestBed;
  let spa: oidc.Configuration;
  beforeAll(async () => {
    bed = await startAuthServers({ label: 'dpop' });
    spa = await discover(bed.url, 'test-spa');
  });
  afterAll(() => bed?.close());

  it('binds access and refresh tokens of a public client to its key; the key is needed to use either', async () => {
    const account = await createTestAccount(bed.store);
    const dpop = oidc.getDPoPHandle(spa, await oidc.randomDPoPKeyPair('ES256'));
    const tokens = await signInWithCode(spa, new UserAgent(bed.url), account, { scope: 'openid profile' }, { DPoP: dpop });
    expect(tokens.token_type).toBe('dpop');

    expect((await oidc.fetchUserInfo(spa, tokens.access_token, account.id, { DPoP: dpop })).sub).toBe(account.id);
    // As a bearer token it is refused (RFC 9449 §7.1).
    const bearer = await fetch(`${bed.url}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(bearer.status).toBe(401);
    expect(bearer.headers.get('www-authenticate')).toMatch(/invalid_token/);

    const other = oidc.getDPoPHandle(spa, await oidc.randomDPoPKeyPair('ES256'));
    await expect(oidc.refreshTokenGrant(spa, tokens.refresh_token!, undefined, { DPoP: other })).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.refreshTokenGrant(spa, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    const refreshed = await oidc.refreshTokenGrant(spa, tokens.refresh_token!, undefined, { DPoP: dpop });
    expect(refreshed.token_type).toBe('dpop');
  });

  it('demands a server nonce, and accepts a proof once', async () => {
    const signer = signerFromKeyObject(fixtureKey('P-256', 'dpop-replay').privateKey);
    const tokenRequest = (proof: string) =>
      fetch(`${bed.url}/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`test-service:${SERVICE_SECRET}`).toString('base64')}`,
          dpop: proof,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'ims:read' }),
      });

    // Without a nonce: use_dpop_nonce, with a fresh nonce in DPoP-Nonce (§8).
    const first = await tokenRequest(await createDpopProof(signer, { htm: 'POST', htu: `${bed.url}/token` }));
    expect(first.status).toBe(400);
    expect(await first.json()).toMatchObject({ error: 'use_dpop_nonce' });
    const nonce = first.headers.get('dpop-nonce');
    expect(nonce).toBeTruthy();

    const proof = await createDpopProof(signer, { htm: 'POST', htu: `${bed.url}/token`, nonce: nonce! });
    const accepted = await tokenRequest(proof);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ token_type: 'DPoP' });
    const replayed = await tokenRequest(proof);
    expect(replayed.status).toBe(400);
    expect(await replayed.json()).toMatchObject({ error: 'invalid_dpop_proof' });
  });

  it('refuses a proof for another URL', async () => {
    const signer = signerFromKeyObject(fixtureKey('P-256', 'dpop-htu').privateKey);
    const response = await fetch(`${bed.url}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`test-service:${SERVICE_SECRET}`).toString('base64')}`,
        dpop: await createDpopProof(signer, { htm: 'POST', htu: 'https://elsewhere.example.test/token' }),
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'ims:read' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_dpop_proof' });
  });
});
