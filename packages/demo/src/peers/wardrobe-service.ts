import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { startHttp, type RunningServer } from '@sigil/testkit';

interface Verifier {
  readonly issuer: string;
  readonly keys: JWTVerifyGetKey;
}

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

/**
 * The resource service of the ERC725 seed (steps 3 and 4): a "digital
 * wardrobe" that accepts a Bearer token from the ip-service and verifies it
 * with a stock OIDC library, as the seed recommends, not by calling the
 * ip-service: jose finds the keys through discovery and the JWKS, caches
 * them, and fetches them again only for a key it does not know.
 */
export async function startWardrobeService(ipServiceUrl: string): Promise<RunningServer> {
  let verifier: Promise<Verifier> | undefined;
  const discover = async (): Promise<Verifier> => {
    const response = await fetch(`${ipServiceUrl}/.well-known/openid-configuration`);
    if (!response.ok) throw new Error(`discovery answered ${response.status}`);
    const { issuer, jwks_uri: jwksUri } = (await response.json()) as { issuer: string; jwks_uri: string };
    return { issuer, keys: createRemoteJWKSet(new URL(jwksUri)) };
  };
  let audience = '';

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' || req.url !== '/wardrobe') return answer(res, 404, { error: 'not_found' });
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (token === undefined) return answer(res, 401, { error: 'invalid_request' }, { 'www-authenticate': 'Bearer realm="wardrobe"' });
    let current: Verifier;
    try {
      current = await (verifier ??= discover());
    } catch {
      verifier = undefined;
      return answer(res, 503, { error: 'temporarily_unavailable', error_description: 'the ip-service could not be asked for its keys' });
    }
    try {
      const { payload } = await jwtVerify(token, current.keys, { issuer: current.issuer, audience, algorithms: ['RS256'], typ: 'JWT' });
      return answer(res, 200, { owner: payload.erc725Address, key: payload.sub, items: ['LUKSO hoodie', 'pixel sneakers'] });
    } catch (error) {
      const description = error instanceof Error ? error.message : 'the token was refused';
      return answer(res, 401, { error: 'invalid_token', error_description: description }, { 'www-authenticate': 'Bearer realm="wardrobe", error="invalid_token"' });
    }
  };
  const server = await startHttp((req, res) => {
    serve(req, res).catch(() => answer(res, 500, { error: 'server_error' }));
  });
  // The wardrobe's own URL is the audience its tokens must name.
  audience = server.url;
  return server;
}
