import * as oidc from 'openid-client';
import { createTcpRelay, describeWithRedis, redisUrl, type TcpRelay, UserAgent } from '@sigil/testkit';
import { SERVICE_SECRET, startAuthServers, type AuthServerTestBed } from '../support/auth-server.js';
import { authorizationRequest, discover } from '../support/relying-party.js';

const describeRedis = await describeWithRedis();

describeRedis('while Redis is unreachable', () => {
  let relay: TcpRelay;
  let bed: AuthServerTestBed;
  beforeAll(async () => {
    const { hostname, port } = new URL(redisUrl());
    relay = await createTcpRelay({ host: hostname, port: Number(port) || 6379 });
    bed = await startAuthServers({ label: 'outage', redisUrl: relay.url(redisUrl()) });
  });
  afterAll(async () => {
    await bed?.close();
    await relay?.close();
  });

  it('fails closed with 503 temporarily_unavailable, and recovers by itself', async () => {
    const service = await discover(bed.url, 'test-service', SERVICE_SECRET);
    const spa = await discover(bed.url, 'test-spa');
    const start = await authorizationRequest(spa);
    const agent = new UserAgent(bed.url);
    const login = await agent.navigate(start.url.href);
    relay.cut();
    try {
      const token = await fetch(`${bed.url}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`test-service:${SERVICE_SECRET}`).toString('base64')}` },
        body: 'grant_type=client_credentials&scope=ims%3Aread',
      });
      expect(token.status).toBe(503);
      expect(token.headers.get('retry-after')).toBe('1');
      expect(await token.json()).toEqual({ error: 'temporarily_unavailable', error_description: 'the state store is unreachable; try again shortly' });
      const page = await agent.request(login.url);
      expect(page.status).toBe(503);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.body).toContain('Try again shortly');
    } finally {
      relay.restore();
    }
    let issued: oidc.TokenEndpointResponse | undefined;
    for (let attempt = 0; attempt < 40 && issued === undefined; attempt++) {
      issued = await oidc.clientCredentialsGrant(service, { scope: 'ims:read' }).catch(async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return undefined;
      });
    }
    expect(issued?.token_type).toBe('bearer');
  });
});
