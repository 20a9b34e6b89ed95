import { webcrypto } from 'node:crypto';
import acme, { type Authorization, type Client, type Order } from 'acme-client';
import type { DeviceKey } from './wire-device.js';
import { x509 } from './x509.js';

/** A Wire challenge as acme-resource offers it: besides RFC 8555's members, the `target` its token must come from. */
export interface WireChallenge {
  readonly type: 'wire-oidc-01' | 'wire-dpop-01';
  readonly url: string;
  readonly token: string;
  readonly target: string;
  readonly status: string;
}

export interface WireOrder {
  readonly order: Order;
  readonly user: { readonly authorization: Authorization; readonly challenge: WireChallenge };
  readonly device: { readonly authorization: Authorization; readonly challenge: WireChallenge };
}

/** The order's two identifiers: the user (`wireapp-user`) and the device (`wireapp-device`), naming the same user. */
export function wireIdentifiers(identity: { readonly displayName: string; readonly domain: string; readonly handle: string; readonly clientId: string }) {
  const { displayName: name, domain, handle, clientId } = identity;
  return [
    { type: 'wireapp-user', value: JSON.stringify({ name, domain, handle }) },
    { type: 'wireapp-device', value: JSON.stringify({ name, domain, 'client-id': clientId, handle }) },
  ];
}

/** acme-client with short polling: acme-resource answers in milliseconds. */
export function acmeClientFor(directoryUrl: string, key: DeviceKey): Client {
  return new acme.Client({ directoryUrl, accountKey: key.pem, backoffAttempts: 20, backoffMin: 50, backoffMax: 500 });
}

/** Creates the order and reads its two authorizations, each with its Wire challenge. */
export async function newWireOrder(client: Client, identifiers: ReturnType<typeof wireIdentifiers>): Promise<WireOrder> {
  const order = await client.createOrder({ identifiers });
  const authorizations = await client.getAuthorizations(order);
  const find = (type: WireChallenge['type']) => {
    for (const authorization of authorizations) {
      const challenge = (authorization.challenges as unknown as WireChallenge[]).find((candidate) => candidate.type === type);
      if (challenge !== undefined) return { authorization, challenge };
    }
    throw new Error(`the order offers no ${type} challenge`);
  };
  return { order, user: find('wire-oidc-01'), device: find('wire-dpop-01') };
}

/** acme-client's request layer, which its public API uses for challenges with an empty payload only. */
interface AcmeRequests {
  readonly api: { completeChallenge(url: string, payload: object): Promise<{ data: unknown }> };
}

/**
 * Answers a Wire challenge: unlike http-01's `{}` (RFC 8555 §7.5.1), a
 * Wire challenge's response carries the token — `{"access_token"}` for
 * wire-dpop-01, `{"id_token"}` for wire-oidc-01 — which acme-client can
 * send only through its request layer (still signed with the account key,
 * with a fresh nonce). Then waits for the authorization to be valid.
 */
export async function answerWireChallenge(client: Client, authorization: Authorization, challenge: WireChallenge, payload: Record<string, string>): Promise<Authorization> {
  await (client as unknown as AcmeRequests).api.completeChallenge(challenge.url, payload);
  return client.waitForValidStatus(authorization);
}

/**
 * The certificate request of a Wire device, signed by the device key:
 * its subject the display name (2.16.840.1.113730.3.1.241) and the domain
 * (O), no common name; its SANs the handle and the client id URIs.
 */
export async function wireCsr(key: DeviceKey, identity: { readonly displayName: string; readonly domain: string; readonly handle: string; readonly clientId: string }): Promise<string> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const privateKey = await webcrypto.subtle.importKey('pkcs8', key.privateKey.export({ type: 'pkcs8', format: 'der' }), algorithm, false, ['sign']);
  const publicKey = await webcrypto.subtle.importKey('jwk', key.publicJwk as webcrypto.JsonWebKey, algorithm, true, ['verify']);
  const request = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ '2.16.840.1.113730.3.1.241': [identity.displayName] }, { O: [identity.domain] }],
    keys: { privateKey, publicKey },
    signingAlgorithm: algorithm,
    extensions: [
      new x509.SubjectAlternativeNameExtension([
        { type: 'url', value: identity.handle },
        { type: 'url', value: identity.clientId },
      ]),
    ],
  });
  return request.toString('pem');
}

/** What a certificate says that matters here: subject, SANs, issuer, validity. */
export function certificateFacts(chainPem: string): { subject: string; sans: string[]; issuer: string; notAfter: Date; chainLength: number } {
  const chain = x509.PemConverter.decode(chainPem).map((der) => new x509.X509Certificate(der));
  const leaf = chain[0];
  if (leaf === undefined) throw new Error('the certificate chain is empty');
  const san = leaf.getExtension(x509.SubjectAlternativeNameExtension);
  return {
    subject: leaf.subject,
    sans: san?.names.items.map((name) => `${name.type === 'url' ? 'URI' : name.type}:${name.value}`) ?? [],
    issuer: leaf.issuer,
    notAfter: leaf.notAfter,
    chainLength: chain.length,
  };
}
