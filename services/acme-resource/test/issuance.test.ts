import { createPublicKey } from 'node:crypto';
import acme from 'acme-client';
import { describeWithRedis } from '@sigil/testkit';
import { x509 } from '../src/x509.js';
import { startAcmeTestBed, type AcmeTestBed } from './support/acme-service.js';
import { acmeClient, issue, newAccount, type AcmeClient } from './support/acme-client-flow.js';

const describeRedis = await describeWithRedis();
const DAY_MS = 86_400_000;

async function parseChain(chain: string): Promise<[x509.X509Certificate, x509.X509Certificate]> {
  const certificates = acme.crypto.splitPemChain(chain).map((pem) => new x509.X509Certificate(pem));
  expect(certificates).toHaveLength(2);
  return certificates as [x509.X509Certificate, x509.X509Certificate];
}

async function crlOf(bed: AcmeTestBed): Promise<x509.X509Crl> {
  const response = await fetch(`${bed.baseUrl()}/crl`);
  expect(response.headers.get('content-type')).toBe('application/pkix-crl');
  return new x509.X509Crl(Buffer.from(await response.arrayBuffer()));
}

/** acme-client throws Errors whose message is the problem's detail; the type is checked through its response. */
async function problemOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the request to fail');
}

describeRedis('whole issuances with acme-client', () => {
  let bed: AcmeTestBed;
  let root: x509.X509Certificate;
  beforeAll(async () => {
    bed = await startAcmeTestBed({}, 'issuance');
    root = new x509.X509Certificate(await (await fetch(`${bed.baseUrl()}/ca/root`)).text());
  });
  afterAll(async () => {
    await bed.close();
  });

  it('issues for an ECDSA account key, with several names in one order, a chain up to the root and the TLS server profile', async () => {
    const client = acmeClient(bed.directoryUrl(), await acme.crypto.createPrivateEcdsaKey());
    await newAccount(client);
    const names = ['a.example.test', 'b.example.test', 'www.a.example.test'];
    const { chain, key } = await issue(client, bed.responder, names);
    const [leaf, intermediate] = await parseChain(chain);
    expect(leaf.getExtension(x509.SubjectAlternativeNameExtension)!.names.items.map((name) => name.value).sort()).toEqual(names);
    expect(leaf.subject).toBe('CN=a.example.test');
    expect(await leaf.verify({ publicKey: intermediate.publicKey, signatureOnly: true })).toBe(true);
    expect(await intermediate.verify({ publicKey: root.publicKey, signatureOnly: true })).toBe(true);
    expect(leaf.issuer).toBe(intermediate.subject);
    // The certified key is the CSR's.
    const certified = createPublicKey({ key: Buffer.from(leaf.publicKey.rawData), format: 'der', type: 'spki' });
    expect(certified.export({ format: 'jwk' })).toEqual(createPublicKey(key).export({ format: 'jwk' }));
    // Profile: KU digitalSignature, EKU serverAuth, CA:false, SKI / AKI, CRL DP, about 90 days.
    expect(leaf.getExtension(x509.KeyUsagesExtension)!.usages).toBe(x509.KeyUsageFlags.digitalSignature);
    expect(leaf.getExtension(x509.ExtendedKeyUsageExtension)!.usages).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(leaf.getExtension(x509.BasicConstraintsExtension)!.ca).toBe(false);
    expect(leaf.getExtension(x509.AuthorityKeyIdentifierExtension)!.keyId).toBe(intermediate.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId);
    expect(leaf.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId).toMatch(/^[0-9a-f]{40}$/);
    expect(leaf.getExtension(x509.CRLDistributionPointsExtension)!.distributionPoints[0]!.distributionPoint!.fullName![0]!.uniformResourceIdentifier).toBe(`${bed.baseUrl()}/crl`);
    expect(leaf.notAfter.getTime() - leaf.notBefore.getTime()).toBe(90 * DAY_MS);
    expect(leaf.serialNumber.length).toBeGreaterThanOrEqual(30);
  });

  it('issues for an RSA account key and an RSA certificate key (keyEncipherment added)', async () => {
    const client = acmeClient(bed.directoryUrl(), await acme.crypto.createPrivateRsaKey(2048));
    await newAccount(client);
    const { chain } = await issue(client, bed.responder, ['rsa.example.test'], await acme.crypto.createPrivateRsaKey(2048));
    const [leaf] = await parseChain(chain);
    expect(leaf.getExtension(x509.KeyUsagesExtension)!.usages).toBe(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment);
    expect(bed.responder.requests.some((line) => line.startsWith(`rsa.example.test:${bed.responder.port} /.well-known/acme-challenge/`))).toBe(true);
  });

  it('refuses a wildcard, which needs a dns-01 challenge this server does not offer', async () => {
    const client = acmeClient(bed.directoryUrl(), await acme.crypto.createPrivateEcdsaKey());
    await newAccount(client);
    const message = await problemOf(client.createOrder({ identifiers: [{ type: 'dns', value: '*.wild.example.test' }] }));
    expect(message).toMatch(/dns-01/);
  });

  it('rolls the account key over (RFC 8555 §7.3.5): the new key works, the old one no longer names the account', async () => {
    const oldKey = await acme.crypto.createPrivateEcdsaKey();
    const client = acmeClient(bed.directoryUrl(), oldKey);
    await newAccount(client);
    const accountUrl = client.getAccountUrl();
    await client.updateAccountKey(await acme.crypto.createPrivateEcdsaKey());
    expect(client.getAccountUrl()).toBe(accountUrl);
    await issue(client, bed.responder, ['rolled.example.test']);
    const old = acmeClient(bed.directoryUrl(), oldKey);
    expect(await problemOf(old.createAccount({ onlyReturnExisting: true }))).toMatch(/no account exists/);
  });

  it('revokes by the account key with a reason; the CRL lists it; a second revocation is alreadyRevoked', async () => {
    const client = acmeClient(bed.directoryUrl(), await acme.crypto.createPrivateEcdsaKey());
    await newAccount(client);
    const { chain } = await issue(client, bed.responder, ['revoke-account.example.test']);
    const [leaf, intermediate] = await parseChain(chain);
    await client.revokeCertificate(chain, { reason: 4 });
    const crl = await crlOf(bed);
    expect(await crl.verify({ publicKey: intermediate.publicKey })).toBe(true);
    const entry = crl.findRevoked(leaf);
    expect(entry?.reason).toBe(x509.X509CrlReason.superseded);
    expect(crl.nextUpdate!.getTime()).toBeGreaterThan(Date.now());
    expect(await problemOf(client.revokeCertificate(chain))).toMatch(/already revoked/);
  });

  it('revokes by the certificate key (jwk), without any account', async () => {
    const client = acmeClient(bed.directoryUrl(), await acme.crypto.createPrivateEcdsaKey());
    await newAccount(client);
    const { chain, key } = await issue(client, bed.responder, ['revoke-key.example.test']);
    const [leaf] = await parseChain(chain);
    // acme-client signs with the certificate key and puts it in the header as jwk.
    const holder = acmeClient(bed.directoryUrl(), key) as AcmeClient & {
      api: { apiResourceRequest(resource: string, data: unknown, codes: number[], options: { includeJwsKid: boolean }): Promise<unknown> };
    };
    await holder.api.apiResourceRequest('revokeCert', { certificate: acme.crypto.getPemBodyAsB64u(chain), reason: 1 }, [200], { includeJwsKid: false });
    expect((await crlOf(bed)).findRevoked(leaf)?.reason).toBe(x509.X509CrlReason.keyCompromise);
  });

  it('deactivates an account (RFC 8555 §7.3.6): later requests are unauthorized', async () => {
    const client = acmeClient(bed.directoryUrl(), await acme.crypto.createPrivateEcdsaKey());
    await newAccount(client);
    const account = await client.updateAccount({ status: 'deactivated' });
    expect(account.status).toBe('deactivated');
    expect(await problemOf(client.createOrder({ identifiers: [{ type: 'dns', value: 'gone.example.test' }] }))).toMatch(/deactivated/);
  });
});
