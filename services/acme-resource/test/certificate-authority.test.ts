import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import acme from 'acme-client';
import { ConfigError, startService } from '@sigil/service-kit';
import { createSoftHsmToken, describeWhen, describeWithRedis, softHsmAvailable } from '@sigil/testkit';
import { generateDevelopmentCa } from '../src/ca/development-ca.js';
import { acmeResourceService } from '../src/service.js';
import { x509 } from '../src/x509.js';
import { startAcmeTestBed } from './support/acme-service.js';
import { acmeClient, issue, newAccount } from './support/acme-client-flow.js';

const describeRedis = await describeWithRedis();
const describeSoftHsm = describeWhen(softHsmAvailable(), 'SoftHSM2');

/** A CA written to PEM files, as an operator would provide it. */
async function caFiles(): Promise<{ dir: string; root: string; intermediate: string; key: string; rootKey: string; files: Record<string, string> }> {
  const files = await generateDevelopmentCa();
  const dir = mkdtempSync(join(tmpdir(), 'sigil-acme-configured-ca-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return { dir, root: join(dir, 'root.pem'), intermediate: join(dir, 'intermediate.pem'), key: join(dir, 'intermediate-key.pem'), rootKey: join(dir, 'root-key.pem'), files };
}

async function issueAndVerify(env: Record<string, string>, rootPem: string): Promise<void> {
  const bed = await startAcmeTestBed(env, 'ca');
  try {
    const client = acmeClient(bed.directoryUrl(), await acme.crypto.createPrivateEcdsaKey());
    await newAccount(client);
    const { chain } = await issue(client, bed.responder, ['ca.example.test']);
    const [leaf, intermediate] = acme.crypto.splitPemChain(chain).map((pem) => new x509.X509Certificate(pem)) as [x509.X509Certificate, x509.X509Certificate];
    const root = new x509.X509Certificate(rootPem);
    expect(await leaf.verify({ publicKey: intermediate.publicKey, signatureOnly: true })).toBe(true);
    expect(await intermediate.verify({ publicKey: root.publicKey, signatureOnly: true })).toBe(true);
    expect(await (await fetch(`${bed.baseUrl()}/ca/root`)).text()).toContain(rootPem.trim().split('\n')[1]);
    const crl = new x509.X509Crl(Buffer.from(await (await fetch(`${bed.baseUrl()}/crl`)).arrayBuffer()));
    expect(await crl.verify({ publicKey: intermediate.publicKey })).toBe(true);
  } finally {
    await bed.close();
  }
}

const quiet = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' };

describe('CA configuration', () => {
  it('refuses to start in production without CA keys, naming the setting', async () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await expect(startService(acmeResourceService, { env: { ...quiet, NODE_ENV: 'production', PUBLIC_URL: 'https://acme.example.test' } })).rejects.toMatchObject({
        setting: 'ACME_INTERMEDIATE_KEY',
      });
    } finally {
      process.env.NODE_ENV = previous;
    }
  });

  it('refuses a partial CA configuration and a key that is not the intermediate\'s', async () => {
    const ca = await caFiles();
    await expect(startService(acmeResourceService, { env: { ...quiet, ACME_INTERMEDIATE_KEY: ca.key } })).rejects.toBeInstanceOf(ConfigError);
    await expect(
      startService(acmeResourceService, { env: { ...quiet, ACME_ROOT_CERTIFICATE: ca.root, ACME_INTERMEDIATE_CERTIFICATE: ca.intermediate, ACME_INTERMEDIATE_KEY: ca.rootKey } }),
    ).rejects.toMatchObject({ setting: 'ACME_INTERMEDIATE_KEY' });
  });
});

describeRedis('a configured CA', () => {
  it('issues from a root and intermediate given as PEM files', async () => {
    const ca = await caFiles();
    await issueAndVerify({ ACME_ROOT_CERTIFICATE: ca.root, ACME_INTERMEDIATE_CERTIFICATE: ca.intermediate, ACME_INTERMEDIATE_KEY: ca.key }, ca.files['root.pem']!);
  });
});

describeSoftHsm('a CA key on a PKCS#11 token', () => {
  it('issues and signs the CRL with the intermediate key held by SoftHSM', async () => {
    const ca = await caFiles();
    const token = await createSoftHsmToken([{ label: 'acme-intermediate', privateKeyPem: ca.files['intermediate-key.pem']! }]);
    try {
      await issueAndVerify(
        { ACME_ROOT_CERTIFICATE: ca.root, ACME_INTERMEDIATE_CERTIFICATE: ca.intermediate, ACME_INTERMEDIATE_KEY: token.uri('acme-intermediate') },
        ca.files['root.pem']!,
      );
    } finally {
      await token.remove();
    }
  });
});
