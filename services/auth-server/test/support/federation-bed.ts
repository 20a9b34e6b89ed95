// auth-server with the test IMS as its external providers: `ims` through
// OpenID Connect discovery, `plain` as a GitHub-like plain OAuth 2.0 provider.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { IMS_CLIENT_ID, IMS_CLIENT_SECRET, startImsProvider, type ImsProvider, type ImsUser } from '@sigil/stand-ins';
import { startAuthServers, type AuthServerTestBed } from './auth-server.js';

export interface FederationTestBed {
  readonly ims: ImsProvider;
  readonly bed: AuthServerTestBed;
  close(): Promise<void>;
}

export function imsUser(n: number, login: string): ImsUser {
  return { sub: `ims-${login}`, id: 1000 + n, login, name: `${login} at IMS`, email: `${login}@ims.example.test` };
}

export async function startFederationBed(
  label: string,
  users: readonly ImsUser[],
  options: { env?: Record<string, string>; clients?: Record<string, unknown> } = {},
): Promise<FederationTestBed> {
  const ims = await startImsProvider(users);
  const bed = await startAuthServers({
    label,
    ...options,
    async prepare(publicUrl, dir) {
      ims.configure(`${publicUrl}/federation/callback`);
      const path = join(dir, 'providers.yaml');
      await writeFile(
        path,
        stringify({
          providers: [
            { id: 'ims', name: 'Example IMS', issuer: ims.url, clientId: IMS_CLIENT_ID, clientSecret: IMS_CLIENT_SECRET, scopes: ['openid', 'profile', 'email'] },
            {
              id: 'plain',
              name: 'Plain OAuth',
              authorizationEndpoint: `${ims.url}/auth`,
              tokenEndpoint: `${ims.url}/token`,
              userinfoEndpoint: `${ims.url}/api/user`,
              revocationEndpoint: `${ims.url}/token/revocation`,
              clientId: IMS_CLIENT_ID,
              clientSecret: IMS_CLIENT_SECRET,
              tokenEndpointAuthMethod: 'client_secret_post',
              scopes: ['profile'],
              claims: { subject: 'id', username: 'login' },
            },
          ],
        }),
      );
      return { PROVIDERS_FILE: path };
    },
  });
  return {
    ims,
    bed,
    async close() {
      await bed.close();
      await ims.close();
    },
  };
}
