import { decodeJwt } from 'jose';
import { Wallet } from 'ethers';
import { describeWithRedis } from '@sigil/testkit';
import { postJson, signIn, startIpReplicas, type IpReplicas } from '../support/ip-replicas.js';

const controller = Wallet.createRandom();
const appAddress = Wallet.createRandom().address;
const audiences = ['https://wardrobe.example'];

const describeRedis = await describeWithRedis();

describeRedis('POST /up/token/refresh and /up/token/revoke', () => {
  let ip: IpReplicas;
  const user = Wallet.createRandom();

  beforeAll(async () => {
    ip = await startIpReplicas({
      label: 'refresh',
      apps: [
        {
          appERC725Address: appAddress,
          controllerPrivateKey: controller.privateKey,
          audiences,
          rpcUrl: 'http://127.0.0.1:9',
          chainId: 31337,
          tokenTtlSeconds: 300,
          refreshTtlSeconds: 3600,
        },
      ],
    });
  });
  afterAll(() => ip.close());

  async function signedIn(): Promise<{ token: string; refreshToken: string }> {
    const { body } = await signIn(ip.url(0), ip.url(1), { app: appAddress, wallet: user, audiences });
    return { token: body.token as string, refreshToken: body.refreshToken as string };
  }
  const verify = (token: string, replica = 0) => postJson(`${ip.url(replica)}/up/token/verify`, { token });
  const refresh = (refreshToken: string, replica = 0) => postJson(`${ip.url(replica)}/up/token/refresh`, { refreshToken });

  it('exchanges a refresh token for a new token and a new refresh token, same subject and audiences', async () => {
    const first = await signedIn();
    const { status, headers, body } = await refresh(first.refreshToken, 1);
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(body).toMatchObject({ expiresIn: 300, type: 'Bearer' });
    expect(body.refreshToken).not.toBe(first.refreshToken);
    const before = decodeJwt(first.token);
    const after = decodeJwt(body.token as string);
    expect(after).toMatchObject({ sub: before.sub, aud: before.aud, erc725Address: before.erc725Address, iss: before.iss });
    expect(after.jti).not.toBe(before.jti);
    expect((await verify(body.token as string, 0)).status).toBe(200);
  });

  it('counts issued access and refresh tokens in /metrics', async () => {
    const issuedOn = async (replica: number, type: string) => {
      const text = await (await fetch(`${ip.url(replica)}/metrics`)).text();
      return Number(new RegExp(`^sigil_tokens_issued_total\\{type="${type}",service="ip-service"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    };
    const issued = async (type: string) => (await issuedOn(0, type)) + (await issuedOn(1, type));
    const [accessTokens, refreshTokens] = [await issued('access_token'), await issued('refresh_token')];
    const first = await signedIn();
    await refresh(first.refreshToken, 0);
    // The sign-in and the refresh each issue one of both.
    expect(await issued('access_token')).toBe(accessTokens + 2);
    expect(await issued('refresh_token')).toBe(refreshTokens + 2);
  });

  it('treats a second use of a rotated refresh token as theft: the whole family is revoked, tokens included', async () => {
    const first = await signedIn();
    const second = await refresh(first.refreshToken, 0);
    const third = await refresh(second.body.refreshToken as string, 1);
    expect(third.status).toBe(200);

    const reuse = await refresh(first.refreshToken, 1);
    expect(reuse.status).toBe(401);
    expect(reuse.body).toMatchObject({ type: 'urn:sigil:problem:refresh-token-reused', field: 'refreshToken' });

    for (const token of [first.token, second.body.token as string, third.body.token as string]) {
      const response = await verify(token, 1);
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ type: 'urn:sigil:problem:token-revoked' });
    }
    const latest = await refresh(third.body.refreshToken as string, 0);
    expect(latest.status).toBe(401);
    expect(latest.body).toMatchObject({ type: 'urn:sigil:problem:refresh-token-invalid' });

    // Another sign-in is another family, untouched.
    const other = await signedIn();
    expect((await verify(other.token)).status).toBe(200);
  });

  it('lets one of two concurrent refreshes win; the other counts as reuse', async () => {
    const first = await signedIn();
    const answers = await Promise.all([refresh(first.refreshToken, 0), refresh(first.refreshToken, 1)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401]);
  });

  it('revokes a family through /up/token/revoke, and answers 200 for unknown tokens too', async () => {
    const session = await signedIn();
    const revoked = await postJson(`${ip.url(1)}/up/token/revoke`, { refreshToken: session.refreshToken });
    expect(revoked).toMatchObject({ status: 200, body: {} });
    expect((await verify(session.token)).body).toMatchObject({ type: 'urn:sigil:problem:token-revoked' });
    expect((await refresh(session.refreshToken)).body).toMatchObject({ type: 'urn:sigil:problem:refresh-token-invalid' });
    expect((await postJson(`${ip.url(0)}/up/token/revoke`, { refreshToken: 'never-issued' })).status).toBe(200);
  });

  it('refuses an unknown or expired refresh token, and a missing one', async () => {
    expect((await refresh('never-issued')).body).toMatchObject({ type: 'urn:sigil:problem:refresh-token-invalid' });
    const session = await signedIn();
    ip.clock.advance(3_601_000);
    const late = await refresh(session.refreshToken);
    ip.clock.advance(-3_601_000);
    expect(late.status).toBe(401);
    expect(late.body).toMatchObject({ type: 'urn:sigil:problem:refresh-token-invalid' });
    const missing = await postJson(`${ip.url(0)}/up/token/refresh`, { token: 'x' });
    expect(missing).toMatchObject({ status: 400, body: { type: 'urn:sigil:problem:invalid-request', field: 'refreshToken' } });
  });
});
