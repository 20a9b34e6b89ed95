import acme from 'acme-client';
import type { Http01Responder } from './http01-responder.js';

export type AcmeClient = InstanceType<typeof acme.Client>;

/** An acme-client Client with short polling, so tests do not sleep for seconds. */
export function acmeClient(directoryUrl: string, accountKey: string | Buffer, accountUrl?: string): AcmeClient {
  return new acme.Client({
    directoryUrl,
    accountKey,
    ...(accountUrl ? { accountUrl } : {}),
    backoffAttempts: 20,
    backoffMin: 20,
    backoffMax: 200,
  });
}

export async function newAccount(client: AcmeClient): Promise<void> {
  await client.createAccount({ termsOfServiceAgreed: true, contact: ['mailto:admin@example.test'] });
}

/**
 * A whole issuance as an ACME client does it: new order, http-01 for every
 * authorization through the responder, finalize with a fresh key's CSR,
 * download. Returns the PEM chain and the certificate key.
 */
export async function issue(client: AcmeClient, responder: Http01Responder, names: string[], csrKey?: Buffer): Promise<{ chain: string; key: Buffer; orderUrl: string }> {
  const order = await client.createOrder({ identifiers: names.map((value) => ({ type: 'dns', value })) });
  const authorizations = await client.getAuthorizations(order);
  await Promise.all(
    authorizations.map(async (authz) => {
      const challenge = authz.challenges.find((candidate) => candidate.type === 'http-01');
      if (!challenge) throw new Error(`no http-01 challenge for ${authz.identifier.value}`);
      responder.set(challenge.token, await client.getChallengeKeyAuthorization(challenge));
      await client.completeChallenge(challenge);
      await client.waitForValidStatus(challenge);
    }),
  );
  const key = csrKey ?? (await acme.crypto.createPrivateEcdsaKey());
  const [, csr] = await acme.crypto.createCsr({ altNames: names }, key);
  const finalized = await client.finalizeOrder(order, csr);
  const chain = await client.getCertificate(finalized);
  return { chain, key, orderUrl: order.url };
}
