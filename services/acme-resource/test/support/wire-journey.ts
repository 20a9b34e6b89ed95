// The Wire device-identity journey in tests: auth-server (the backend and
// identity provider, two replicas) and acme-resource (two replicas) on one
// Redis, and a device that enrolls through both. auth-server is started
// from its own sources and test support: services never import each other,
// but a journey across two of them has to start both.
import { createPublicKey, generateKeyPairSync, webcrypto, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jwkThumbprint, signerFromKeyObject, signerFromJwk, type Signer } from '@sigil/crypto';
import { UserAgent } from '@sigil/testkit';
import { x509 } from '../../src/x509.js';
import { startAuthServers, type AuthServerTestBed } from '../../../auth-server/test/support/auth-server.js';
import { discover, signInWithCode } from '../../../auth-server/test/support/relying-party.js';
import { enrollTestDevice, type TestDevice } from '../../../auth-server/test/support/wire-device.js';
import { startAcmeTestBed, type AcmeTestBed } from './acme-service.js';
import { publicJwkOf, RawAcmeClient, type RawResponse } from './raw-acme-client.js';
import { waitForStatus } from './raw-order.js';

export const WIRE_DOMAIN = 'wire.example.test';
export const OIDC_CLIENT_ID = 'test-spa';

export interface WireBeds {
  readonly auth: AuthServerTestBed;
  readonly acme: AcmeTestBed;
  close(): Promise<void>;
}

export async function startWireBeds(label: string): Promise<WireBeds> {
  const auth = await startAuthServers({ label: `${label}-auth`, replicas: 2, env: { WIRE_DOMAIN, WIRE_PROOF_MAX_LIFETIME: '3600' } });
  try {
    const acme = await startAcmeTestBed(
      { ACME_WIRE_DOMAIN: WIRE_DOMAIN, ACME_WIRE_BACKEND_URL: auth.url, ACME_WIRE_OIDC_ISSUER: auth.url, ACME_WIRE_OIDC_CLIENT_ID: OIDC_CLIENT_ID },
      `${label}-acme`,
    );
    // The second replica serves the same public URL (as behind one ingress); requests reach it at its own address.
    await acme.addReplica({
      PUBLIC_URL: acme.baseUrl(0),
      ACME_WIRE_DOMAIN: WIRE_DOMAIN,
      ACME_WIRE_BACKEND_URL: auth.url,
      ACME_WIRE_OIDC_ISSUER: auth.url,
      ACME_WIRE_OIDC_CLIENT_ID: OIDC_CLIENT_ID,
    });
    return { auth, acme, close: async () => Promise.all([auth.close(), acme.close()]).then(() => undefined) };
  } catch (error) {
    await auth.close();
    throw error;
  }
}

/** The backend's own access-token keys (generated into the test bed's keys directory), to forge tokens with. */
export async function backendSigner(auth: AuthServerTestBed, kind: 'EdDSA' | 'ES256'): Promise<Signer> {
  const { keys } = JSON.parse(await readFile(join(auth.dir, 'keys', 'wire-backend-keys.json'), 'utf8')) as { keys: JsonWebKey[] };
  const jwk = keys.find((key) => (kind === 'EdDSA' ? key.kty === 'OKP' : key.kty === 'EC'))!;
  return signerFromJwk(jwk);
}

export type DeviceKind = 'Ed25519' | 'P-256';

export interface EnrollingDevice {
  readonly device: TestDevice;
  readonly key: KeyObject;
  readonly acme: RawAcmeClient;
  readonly kid: string;
  readonly thumbprint: string;
  readonly handle: string;
}

/** A user with a device whose key is also its ACME account key. */
export async function enrollingDevice(beds: WireBeds, kind: DeviceKind, baseIndex = 0): Promise<EnrollingDevice> {
  const { privateKey } = kind === 'Ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const device = await enrollTestDevice(beds.auth, { signer: signerFromKeyObject(privateKey) });
  const acme = new RawAcmeClient(beds.acme.baseUrl(baseIndex), privateKey);
  const kid = await acme.account();
  return { device, key: privateKey, acme, kid, thumbprint: jwkThumbprint(publicJwkOf(privateKey)), handle: `wireapp://%40${device.account.handle}@${WIRE_DOMAIN}` };
}

export interface WireChallenge {
  readonly type: string;
  readonly url: string;
  readonly token: string;
  readonly target: string;
}

export interface WireOrder {
  readonly url: string;
  readonly finalize: string;
  readonly authorizations: string[];
  readonly oidc: WireChallenge & { authorization: string };
  readonly dpop: WireChallenge & { authorization: string };
}

export function wireIdentifiers(enrolling: EnrollingDevice, overrides: { name?: string; handle?: string; clientId?: string } = {}) {
  const name = overrides.name ?? enrolling.device.account.displayName;
  const handle = overrides.handle ?? enrolling.handle;
  return [
    { type: 'wireapp-user', value: JSON.stringify({ name, domain: WIRE_DOMAIN, handle }) },
    { type: 'wireapp-device', value: JSON.stringify({ name, domain: WIRE_DOMAIN, 'client-id': overrides.clientId ?? enrolling.device.clientId, handle }) },
  ];
}

export async function newWireOrder(enrolling: EnrollingDevice, identifiers = wireIdentifiers(enrolling)): Promise<WireOrder> {
  const { acme, kid } = enrolling;
  const created = await acme.post('/acme/new-order', { identifiers }, { kid });
  if (created.status !== 201) throw new Error(`newOrder: ${created.status} ${created.text}`);
  const body = created.body as unknown as { authorizations: string[]; finalize: string };
  const found: { oidc?: WireOrder['oidc']; dpop?: WireOrder['dpop'] } = {};
  for (const authorization of body.authorizations) {
    const authz = await acme.post(authorization, '', { kid });
    for (const challenge of authz.body.challenges as WireChallenge[]) {
      if (challenge.type === 'wire-oidc-01') found.oidc = { ...challenge, authorization };
      if (challenge.type === 'wire-dpop-01') found.dpop = { ...challenge, authorization };
    }
  }
  if (!found.oidc || !found.dpop) throw new Error('the order lacks a Wire challenge');
  return { url: created.headers.get('location')!, finalize: body.finalize, authorizations: body.authorizations, oidc: found.oidc, dpop: found.dpop };
}

/** An ID token for the OIDC challenge: code + PKCE, asking for keyauth and acme_aud through the claims parameter. */
export async function idTokenFor(beds: WireBeds, enrolling: EnrollingDevice, challenge: WireChallenge, keyauth?: string): Promise<string> {
  const config = await discover(beds.auth.url, OIDC_CLIENT_ID);
  const claims = JSON.stringify({
    id_token: {
      keyauth: { essential: true, value: keyauth ?? `${challenge.token}.${enrolling.thumbprint}` },
      acme_aud: { essential: true, value: challenge.url },
      name: { essential: true },
      preferred_username: { essential: true },
    },
  });
  const tokens = await signInWithCode(config, new UserAgent(beds.auth.url), { username: enrolling.device.account.username, password: enrolling.device.password }, { scope: 'openid profile', claims });
  return tokens.id_token!;
}

/** A device access token for the DPoP challenge: nonce, proof (by the device key), token. */
export async function accessTokenFor(enrolling: EnrollingDevice, challenge: WireChallenge, overrides: Record<string, unknown> = {}): Promise<string> {
  const { device } = enrolling;
  const nonce = await device.nonce();
  const proof = await device.proof(nonce, { aud: challenge.url, chal: challenge.token, handle: enrolling.handle, htu: challenge.target, ...overrides });
  const response = await device.requestToken(proof);
  if (response.status !== 200) throw new Error(`access token: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/**
 * Answers a challenge and waits for its authorization to settle. `via`: the
 * address of another replica to send the answer to (the JWS still names the
 * public URL).
 */
export async function answer(
  enrolling: EnrollingDevice,
  challenge: WireChallenge & { authorization: string },
  payload: Record<string, unknown>,
  via?: string,
): Promise<Record<string, unknown>> {
  const target = via === undefined ? challenge.url : challenge.url.replace(enrolling.acme.baseUrl, via);
  const response: RawResponse = await enrolling.acme.post(target, payload, { kid: enrolling.kid, url: challenge.url });
  if (response.status !== 200) throw new Error(`challenge: ${response.status} ${response.text}`);
  return waitForStatus(enrolling.acme, enrolling.kid, challenge.authorization, ['valid', 'invalid']);
}

/** A CSR by the device key: display name and O in the subject, the given URIs as SANs. */
export async function wireCsr(enrolling: EnrollingDevice, options: { name: string; uris: string[]; dns?: string[]; commonName?: string }): Promise<string> {
  const ed = enrolling.key.asymmetricKeyType === 'ed25519';
  const algorithm = ed ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const privateKey = await webcrypto.subtle.importKey('pkcs8', enrolling.key.export({ type: 'pkcs8', format: 'der' }), algorithm, false, ['sign']);
  const publicDer = publicKeyDer(enrolling.key);
  const publicKey = await webcrypto.subtle.importKey('spki', publicDer, algorithm, true, ['verify']);
  const name: Record<string, string[]>[] = [{ '2.16.840.1.113730.3.1.241': [options.name] }, { O: [WIRE_DOMAIN] }];
  if (options.commonName !== undefined) name.push({ CN: [options.commonName] });
  const request = await x509.Pkcs10CertificateRequestGenerator.create({
    name,
    keys: { privateKey, publicKey },
    signingAlgorithm: algorithm,
    extensions: [
      new x509.SubjectAlternativeNameExtension([
        ...options.uris.map((value) => ({ type: 'url' as const, value })),
        ...(options.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
      ]),
    ],
  });
  return Buffer.from(request.rawData).toString('base64url');
}

function publicKeyDer(key: KeyObject): Buffer {
  return createPublicKey(key).export({ type: 'spki', format: 'der' });
}

/**
 * A whole enrollment of a new device: order, both challenges answered,
 * finalize and download. The chain as downloaded, PEM (leaf first).
 */
export async function enroll(beds: WireBeds, kind: DeviceKind): Promise<{ enrolling: EnrollingDevice; chain: string }> {
  const enrolling = await enrollingDevice(beds, kind);
  const order = await newWireOrder(enrolling);
  await answer(enrolling, order.oidc, { id_token: await idTokenFor(beds, enrolling, order.oidc) });
  await answer(enrolling, order.dpop, { access_token: await accessTokenFor(enrolling, order.dpop) });
  const csr = await wireCsr(enrolling, { name: enrolling.device.account.displayName, uris: [enrolling.handle, enrolling.device.clientId] });
  const finalized = await enrolling.acme.post(order.finalize, { csr }, { kid: enrolling.kid });
  const certificate = (finalized.body as { certificate?: string }).certificate;
  if (finalized.status !== 200 || certificate === undefined) throw new Error(`finalize: ${finalized.status} ${finalized.text}`);
  const download = await enrolling.acme.post(certificate, '', { kid: enrolling.kid });
  if (download.status !== 200) throw new Error(`download: ${download.status}`);
  return { enrolling, chain: download.text };
}
