import { createHash } from 'node:crypto';
import { jwkThumbprint } from '@sigil/crypto';
import type { Http01Responder } from './http01-responder.js';
import { publicJwkOf, type RawAcmeClient } from './raw-acme-client.js';

/** Creates an order over the raw client; returns its URL and body. */
export async function rawOrder(client: RawAcmeClient, kid: string, names: string[]) {
  const response = await client.post('/acme/new-order', { identifiers: names.map((value) => ({ type: 'dns', value })) }, { kid });
  if (response.status !== 201) throw new Error(`newOrder: ${response.status} ${response.text}`);
  return { url: response.headers.get('location')!, body: response.body as unknown as { authorizations: string[]; finalize: string; status: string } };
}

/** Answers every http-01 challenge of an order and waits until its authorizations are valid. */
export async function rawAuthorize(client: RawAcmeClient, kid: string, authorizations: string[], responder: Http01Responder): Promise<void> {
  const thumbprint = jwkThumbprint(publicJwkOf(client.key));
  for (const url of authorizations) {
    const authz = await client.post(url, '', { kid });
    const challenge = (authz.body.challenges as { type: string; url: string; token: string }[]).find((candidate) => candidate.type === 'http-01')!;
    responder.set(challenge.token, `${challenge.token}.${thumbprint}`);
    await client.post(challenge.url, {}, { kid });
    await waitForStatus(client, kid, url, ['valid', 'invalid']);
  }
}

export async function waitForStatus(client: RawAcmeClient, kid: string, url: string, statuses: string[]): Promise<Record<string, unknown>> {
  for (let i = 0; i < 100; i++) {
    const response = await client.post(url, '', { kid });
    if (statuses.includes(response.body.status as unknown as string)) return response.body;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${url} never reached ${statuses.join('/')}`);
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');
