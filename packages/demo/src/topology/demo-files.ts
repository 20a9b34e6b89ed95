import { generateKeyPairSync, randomBytes, webcrypto } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IMS_CLIENT_ID, IMS_CLIENT_SECRET, publicKeysFile } from '@sigil/stand-ins';
import type { FixtureKey } from '@sigil/testkit';
import { x509 } from '../clients/x509.js';
import type { DemoClients } from './world.js';

/**
 * The demo's working directory: every key, certificate and configuration
 * file the services read, generated for this run in a temporary folder and
 * removed with it, so the demo leaves nothing behind and shares nothing
 * with `pnpm dev`'s `.sigil/`.
 */
export interface DemoFiles {
  readonly dir: string;
  /** Where auth-server, ip-service and acme-resource generate their development keys (shared by replicas). */
  readonly authServerKeysDir: string;
  readonly ipServiceKeysDir: string;
  readonly acmeCaDir: string;
  readonly davDataDir: string;
  readonly proxyInternalTokenKey: string;
  readonly idopte: { readonly publicKeys: string; readonly serviceKey: string; readonly serviceCert: string };
  path(name: string): string;
  remove(): Promise<void>;
}

export async function createDemoFiles(middlewareKeys: readonly FixtureKey[]): Promise<DemoFiles> {
  const dir = await mkdtemp(join(tmpdir(), 'sigil-demo-'));
  const path = (name: string) => join(dir, name);
  const write = async (name: string, content: string) => {
    await writeFile(path(name), content, { mode: 0o600 });
    return path(name);
  };
  try {
    const proxyKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const idopteService = await idopteServiceCredentials();
    return {
      dir,
      authServerKeysDir: path('auth-server'),
      ipServiceKeysDir: path('ip-service'),
      acmeCaDir: path('acme-ca'),
      davDataDir: path('dav-storage'),
      proxyInternalTokenKey: await write('proxy-internal-token-key.pem', proxyKey),
      idopte: {
        publicKeys: await write('idopte-public-keys.pem', publicKeysFile(middlewareKeys)),
        serviceKey: await write('idopte-service-key.pem', idopteService.keyPem),
        serviceCert: await write('idopte-service-cert.pem', idopteService.certificatePem),
      },
      path,
      remove: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** idopte-bridge's RSA service key and a self-signed certificate for it: what the middleware is handed. */
async function idopteServiceCredentials(): Promise<{ keyPem: string; certificatePem: string }> {
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(16).toString('hex').replace(/^[89a-f]/, '0'),
    name: 'CN=idopte-bridge, O=Sigil demo',
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 24 * 3600_000),
    keys,
    signingAlgorithm: algorithm,
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return { keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'), certificatePem: certificate.toString('pem') };
}

/** auth-server's clients: the journeys' applications, and no resource server (tokens stay opaque, as the oCIS seed recommends). */
export async function writeClientsFile(files: DemoFiles, clients: DemoClients): Promise<string> {
  const publicClient = (clientId: string, name: string, redirectUri: string, scope: string, firstParty: boolean) => ({
    client_id: clientId,
    client_name: name,
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: [redirectUri],
    scope,
    first_party: firstParty,
  });
  const document = {
    clients: [
      // Not first party, so that the consent page is part of its journey.
      publicClient(clients.gropius.clientId, 'Gropius', clients.gropius.redirectUri, 'openid profile email offline_access', false),
      {
        client_id: clients.gropiusBackend.clientId,
        client_name: 'Gropius backend',
        client_secret: clients.gropiusBackend.clientSecret,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: 'ims:read',
      },
      publicClient(clients.wire.clientId, 'Wire', clients.wire.redirectUri, 'openid profile team offline_access', true),
      publicClient(clients.ocis.clientId, 'ownCloud Infinite Scale', clients.ocis.redirectUri, 'openid profile email offline_access', true),
    ],
    resourceServers: [],
  };
  const file = files.path('clients.json');
  await writeFile(file, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/** auth-server's external provider: the IMS, through OpenID Connect discovery. */
export async function writeProvidersFile(files: DemoFiles, imsUrl: string): Promise<string> {
  const document = {
    providers: [
      { id: 'ims', name: 'Example IMS', issuer: imsUrl, clientId: IMS_CLIENT_ID, clientSecret: IMS_CLIENT_SECRET, scopes: ['openid', 'profile', 'email'] },
    ],
  };
  const file = files.path('providers.json');
  await writeFile(file, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/** ip-service's one app: the DApp's profile, its controller key, the audience of its tokens, the chain. */
export async function writeAppsFile(
  files: DemoFiles,
  app: { readonly address: string; readonly controllerPrivateKey: string; readonly audience: string; readonly rpcUrl: string; readonly chainId: number },
): Promise<string> {
  const document = [{ appERC725Address: app.address, controllerPrivateKey: app.controllerPrivateKey, audiences: [app.audience], rpcUrl: app.rpcUrl, chainId: app.chainId }];
  const file = files.path('apps.json');
  await writeFile(file, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600 });
  return file;
}
