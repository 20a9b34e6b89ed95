import { createRemoteJWKSet, jwtVerify } from 'jose';
import { Wallet } from 'ethers';
import { deployUniversalProfile, localChainProvider, PERMISSIONS, startLocalChain, type DeployedProfile, type LocalChain } from '@sigil/stand-ins';
import { describeWithRedis, startHttp, type RunningServer } from '@sigil/testkit';
import { postJson, signIn, startIpReplicas, type IpReplicas } from '../support/ip-replicas.js';

const appController = Wallet.createRandom();
const appAddress = Wallet.createRandom().address;
const offlineApp = Wallet.createRandom().address;
const audience = 'https://wardrobe.example';

const describeRedis = await describeWithRedis();

/** A resource service as the seed's step 3–4 describes it: it finds the keys through discovery and verifies with jose. */
async function startResourceServer(issuer: string): Promise<RunningServer> {
  const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
  const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
  return startHttp((req, res) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    jwtVerify(token, jwks, { issuer: discovery.issuer, audience, algorithms: ['RS256'], typ: 'JWT' }).then(
      ({ payload }) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ profile: payload.erc725Address, key: payload.sub }));
      },
      () => {
        res.statusCode = 401;
        res.end();
      },
    );
  });
}

describeRedis('POST /up/token for a Universal Profile (LSP6 SIGN permission read from the chain)', () => {
  const owner = Wallet.createRandom();
  let chain: LocalChain;
  let profile: DeployedProfile;
  let ip: IpReplicas;

  beforeAll(async () => {
    chain = await startLocalChain({ fundedAccounts: [owner.address] });
    profile = await deployUniversalProfile(owner.connect(localChainProvider(chain.url, chain.chainId)));
    ip = await startIpReplicas({
      label: 'profile',
      env: { IP_PERMISSION_CACHE_SECONDS: '1' },
      apps: [
        { appERC725Address: appAddress, controllerPrivateKey: appController.privateKey, audiences: [audience], rpcUrl: chain.url, chainId: chain.chainId },
        // A chain nobody serves: port 9 (discard) is closed on loopback.
        { appERC725Address: offlineApp, controllerPrivateKey: appController.privateKey, audiences: [audience], rpcUrl: 'http://127.0.0.1:9', chainId: 1 },
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await ip?.close();
    await chain?.close();
  });

  it('deploys the profile owned by its Key Manager', async () => {
    expect(await profile.readPermissions(owner.address)).toBe(`0x${'0'.repeat(58)}7f3f7f`);
  });

  it('issues a token to a controller with SIGN, and a resource server verifies it through discovery and JWKS', async () => {
    const controller = Wallet.createRandom();
    await profile.setPermissions(controller.address, PERMISSIONS.SIGN);
    const { status, body } = await signIn(ip.url(0), ip.url(1), {
      app: appAddress,
      wallet: controller,
      audiences: [audience],
      profile: profile.address.toLowerCase(),
    });
    expect(status).toBe(200);

    const identity = await postJson(`${ip.url(1)}/up/token/verify`, { token: body.token });
    expect(identity).toMatchObject({ status: 200, body: { erc725Address: profile.address, erc725ControllerKey: controller.address } });

    const resource = await startResourceServer(ip.publicUrl);
    try {
      const ok = await fetch(resource.url, { headers: { authorization: `Bearer ${body.token as string}` } });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ profile: profile.address, key: controller.address });
      const [header, payload, signature] = (body.token as string).split('.');
      const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: owner.address })).toString('base64url');
      const tampered = await fetch(resource.url, { headers: { authorization: `Bearer ${header}.${forged}.${signature}` } });
      expect(tampered.status).toBe(401);
    } finally {
      await resource.close();
    }
  });

  it('refuses a controller without SIGN, and a key the profile does not know', async () => {
    const caller = Wallet.createRandom();
    await profile.setPermissions(caller.address, PERMISSIONS.CALL);
    for (const wallet of [caller, Wallet.createRandom()]) {
      const { status, body } = await signIn(ip.url(1), ip.url(0), { app: appAddress, wallet, audiences: [audience], profile: profile.address });
      expect(status).toBe(403);
      expect(body).toMatchObject({ type: 'urn:sigil:problem:permission-denied', status: 403 });
    }
  });

  it('refuses an address that is no profile', async () => {
    const { status, body } = await signIn(ip.url(0), ip.url(0), { app: appAddress, wallet: owner, audiences: [audience], profile: owner.address });
    expect(status).toBe(403);
    expect(body).toMatchObject({ type: 'urn:sigil:problem:permission-denied' });
  });

  it('refuses a controller whose SIGN was removed, once the cached answer expires', async () => {
    const controller = Wallet.createRandom();
    await profile.setPermissions(controller.address, PERMISSIONS.SIGN);
    const input = { app: appAddress, wallet: controller, audiences: [audience], profile: profile.address };
    expect((await signIn(ip.url(0), ip.url(1), input)).status).toBe(200);

    await profile.setPermissions(controller.address, PERMISSIONS.NONE);
    expect(await profile.readPermissions(controller.address)).toBe(`0x${'0'.repeat(64)}`);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const refused = await signIn(ip.url(1), ip.url(0), input);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ type: 'urn:sigil:problem:permission-denied' });
  });

  it('refuses to refresh a token for a key whose SIGN was removed, and revokes its family', async () => {
    const controller = Wallet.createRandom();
    await profile.setPermissions(controller.address, PERMISSIONS.SIGN);
    const first = await signIn(ip.url(0), ip.url(1), { app: appAddress, wallet: controller, audiences: [audience], profile: profile.address });
    const refreshed = await postJson(`${ip.url(1)}/up/token/refresh`, { refreshToken: first.body.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(first.body.refreshToken);

    await profile.setPermissions(controller.address, PERMISSIONS.CALL);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const refused = await postJson(`${ip.url(0)}/up/token/refresh`, { refreshToken: refreshed.body.refreshToken });
    expect(refused).toMatchObject({ status: 403, body: { type: 'urn:sigil:problem:permission-denied' } });
    expect((await postJson(`${ip.url(1)}/up/token/verify`, { token: refreshed.body.token })).body).toMatchObject({
      type: 'urn:sigil:problem:token-revoked',
    });
  });

  it('fails closed with 503 when the chain does not answer, and the app signature stays usable', async () => {
    const controller = Wallet.createRandom();
    const refused = await signIn(ip.url(0), ip.url(1), { app: offlineApp, wallet: controller, audiences: [audience], profile: profile.address });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body).toMatchObject({ type: 'urn:sigil:problem:chain-unavailable', status: 503 });
    const anonymous = await postJson(`${ip.url(0)}/up/token`, { ...refused.tokenRequest, userERC725Address: '' });
    expect(anonymous.status).toBe(200);
  });
});
