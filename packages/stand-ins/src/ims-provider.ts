// The external ("IMS") provider: a second, independent oidc-provider with
// its own in-memory storage, standing for GitHub, GitLab or Jira. It has no
// pages: whoever its user says is signed in there is signed in. It also
// serves a GitHub-like `/api/user` resource for the plain OAuth 2.0 provider
// configuration.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type AdapterFactory, type KoaContextWithOIDC } from 'oidc-provider';
import { createOidcAdapterFactory, createStore } from '@sigil/store';
import { fixtureKey } from '@sigil/testkit';

export const IMS_CLIENT_ID = 'sigil';
export const IMS_CLIENT_SECRET = 'ims-client-secret-for-tests';

export interface ImsUser {
  readonly sub: string;
  /** GitHub-style numeric id, for the plain OAuth 2.0 API. */
  readonly id: number;
  readonly login: string;
  readonly name: string;
  readonly email: string;
}

export interface ImsProvider {
  readonly url: string;
  /** The HTTP server it answers on (to observe the requests it serves). */
  readonly server: Server;
  /** The user the next authorization is made for; `deny` refuses it (access_denied). */
  signInAs(user: ImsUser | 'deny'): void;
  /** A user of the provider from now on. */
  addUser(user: ImsUser): void;
  /** Access token lifetime (seconds) of the tokens issued from now on. */
  accessTokenTtl: number;
  /** How many refresh token grants and revocations the provider has served. */
  readonly counts: { refresh: number; revocation: number };
  /** Creates the provider, registering auth-server's callback as the client's redirect URI. */
  configure(redirectUri: string): void;
  /** Revokes every grant the provider has issued (the user withdrew access at the provider). */
  revokeEverything(): Promise<void>;
  /** Calls the provider's userinfo with an access token: true when it is valid there. */
  accepts(accessToken: string): Promise<boolean>;
  close(): Promise<void>;
}

export async function startImsProvider(initialUsers: readonly ImsUser[]): Promise<ImsProvider> {
  const users = [...initialUsers];
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => (handler ? handler(req, res) : res.writeHead(503).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let current: ImsUser | 'deny' | undefined = users[0];
  const grants = new Set<string>();
  let provider: Provider | undefined;

  const ims: ImsProvider = {
    url,
    server,
    accessTokenTtl: 3600,
    counts: { refresh: 0, revocation: 0 },
    signInAs(user) {
      current = user;
    },
    addUser(user) {
      users.push(user);
    },
    configure(redirectUri) {
      provider = new Provider(url, {
        // Its own memory, through the same adapter auth-server uses (oidc-provider's built-in one warns on every start).
        // The store adapter's payload type is a plain record where oidc-provider names its fields: the same objects.
        adapter: createOidcAdapterFactory(createStore({ prefix: 'ims:' })) as unknown as AdapterFactory,
        clients: [
          {
            client_id: IMS_CLIENT_ID,
            client_secret: IMS_CLIENT_SECRET,
            redirect_uris: [redirectUri],
            grant_types: ['authorization_code', 'refresh_token'],
            scope: 'openid profile email offline_access',
          },
        ],
        async findAccount(_ctx, sub) {
          const user = users.find((candidate) => candidate.sub === sub);
          return user && { accountId: sub, claims: async () => ({ sub, preferred_username: user.login, name: user.name, email: user.email }) };
        },
        claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email'] },
        features: {
          devInteractions: { enabled: false },
          revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
        },
        cookies: { keys: ['ims-cookie-key-for-tests-only-0123456789'] },
        jwks: { keys: [{ ...fixtureKey('RSA-2048', 'ims-signing').privateKey.export({ format: 'jwk' }), kid: 'ims', alg: 'RS256', use: 'sig' }] },
        pkce: { required: () => true },
        issueRefreshToken: async () => true,
        rotateRefreshToken: true,
        ttl: { AccessToken: () => ims.accessTokenTtl, Session: 3600, Grant: 3600, Interaction: 600, RefreshToken: 3600, IdToken: 600 },
        interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      });
      const ready = provider;
      ready.on('grant.success', (ctx: KoaContextWithOIDC) => {
        if (ctx.oidc.params?.grant_type === 'refresh_token') ims.counts.refresh++;
      });
      // A revoked token is destroyed (no event says "revoked").
      ready.on('refresh_token.destroyed', () => {
        ims.counts.revocation++;
      });
      ready.on('access_token.destroyed', () => {
        ims.counts.revocation++;
      });
      ready.on('authorization_code.saved', (code: { grantId?: string }) => {
        if (code.grantId) grants.add(code.grantId);
      });
      ready.use(async (ctx, next) => {
        const interaction = /^\/interaction\/[^/]+$/.exec(ctx.path);
        if (interaction !== null) {
          ctx.respond = false;
          const details = await ready.interactionDetails(ctx.req, ctx.res);
          if (current === 'deny' || current === undefined) {
            await ready.interactionFinished(ctx.req, ctx.res, { error: 'access_denied', error_description: current === 'deny' ? 'the user said no' : 'nobody is signed in' });
          } else if (details.prompt.name === 'login') {
            await ready.interactionFinished(ctx.req, ctx.res, { login: { accountId: current.sub } });
          } else {
            const grant = new ready.Grant({ accountId: details.session!.accountId, clientId: String(details.params.client_id) });
            grant.addOIDCScope(String(details.params.scope));
            await ready.interactionFinished(ctx.req, ctx.res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
          }
          return;
        }
        if (ctx.path === '/api/user') {
          const token = await ready.AccessToken.find(ctx.get('authorization').replace(/^Bearer /, ''));
          const user = users.find((candidate) => candidate.sub === token?.accountId);
          if (token === undefined || token.isExpired || user === undefined) {
            ctx.status = 401;
            return;
          }
          ctx.body = { id: user.id, login: user.login, name: user.name, email: user.email };
          return;
        }
        await next();
      });
      handler = ready.callback();
    },
    async revokeEverything() {
      for (const grantId of grants) {
        await Promise.all([
          provider!.RefreshToken.adapter.revokeByGrantId(grantId),
          provider!.AccessToken.adapter.revokeByGrantId(grantId),
          provider!.Grant.adapter.destroy(grantId),
        ]);
      }
    },
    async accepts(accessToken) {
      const response = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
      return response.status === 200;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return ims;
}
