import { createPrivateKey } from 'node:crypto';
import { Wallet } from 'ethers';
import { SignJWT } from 'jose';
import { describeWithRedis, fixtureKey } from '@sigil/testkit';
import { postJson, signIn, startIpReplicas, type IpReplicas } from '../support/ip-replicas.js';

const controller = Wallet.createRandom();
const appAddress = Wallet.createRandom().address;
const audiences = ['https://wardrobe.example'];

const describeRedis = await describeWithRedis();

describeRedis('POST /up/token/verify', () => {
  let ip: IpReplicas;
  const user = Wallet.createRandom();

  beforeAll(async () => {
    ip = await startIpReplicas({
      label: 'verify',
      apps: [{ appERC725Address: appAddress, controllerPrivateKey: controller.privateKey, audiences, rpcUrl: 'http://127.0.0.1:9', chainId: 31337, tokenTtlSeconds: 60 }],
    });
  });
  afterAll(() => ip.close());

  async function token(): Promise<string> {
    const { body } = await signIn(ip.url(0), ip.url(1), { app: appAddress, wallet: user, audiences });
    return body.token as string;
  }

  it('answers the seed UserIdentity: an anonymous sign-in has an empty erc725Address', async () => {
    const response = await postJson(`${ip.url(1)}/up/token/verify`, { token: await token() });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ erc725Address: '', erc725ControllerKey: user.address });
  });

  it('answers 401 token-expired past exp', async () => {
    const issued = await token();
    ip.clock.advance(61_000);
    const response = await postJson(`${ip.url(0)}/up/token/verify`, { token: issued });
    ip.clock.advance(-61_000);
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ type: 'urn:sigil:problem:token-expired', field: 'token' });
  });

  it('answers 401 token-invalid for a tampered token, another issuer, another key, or alg none', async () => {
    const issued = await token();
    const [header, payload, signature] = issued.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const swap = (changes: Record<string, unknown>) => `${header}.${Buffer.from(JSON.stringify({ ...claims, ...changes })).toString('base64url')}.${signature}`;
    const ownKey = createPrivateKey(fixtureKey('RSA-2048', 'ip-service').privateKeyPem);
    const kid = (JSON.parse(Buffer.from(header!, 'base64url').toString()) as { kid: string }).kid;
    const wrongIssuer = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid }).setIssuer('https://elsewhere.example').sign(ownKey);
    const otherKey = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid }).sign(createPrivateKey(fixtureKey('RSA-2048', 'stranger').privateKeyPem));
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    for (const bad of [swap({ sub: controller.address }), wrongIssuer, otherKey, none, 'not-a-jwt']) {
      const response = await postJson(`${ip.url(0)}/up/token/verify`, { token: bad });
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ type: 'urn:sigil:problem:token-invalid' });
    }
  });

  it('refuses a missing token with a 400 problem naming the field', async () => {
    const response = await postJson(`${ip.url(0)}/up/token/verify`, {});
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ type: 'urn:sigil:problem:invalid-request', field: 'token' });
  });
});
