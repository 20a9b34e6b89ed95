import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { signerFromKeyObject, signerFromPem } from '@sigil/crypto';
import { x509 } from '../x509.js';
import { keyIdentifier } from './ca-extensions.js';
import type { CaChain } from './ca-chain.js';
import { createCaCertificate } from './create-ca-certificate.js';

const YEAR_MS = 365 * 24 * 3_600_000;

export const DEVELOPMENT_CA_FILES = {
  root: 'root.pem',
  intermediate: 'intermediate.pem',
  intermediateKey: 'intermediate-key.pem',
  rootKey: 'root-key.pem',
} as const;

/**
 * The development CA: a P-256 root and intermediate generated once into
 * `directory` and reused on every start. Generation writes into a fresh
 * directory beside it and renames it into place, so two processes starting
 * at once never mix files; the loser reads what the winner wrote.
 */
export async function loadOrCreateDevelopmentCa(directory: string): Promise<{ chain: CaChain; created: boolean }> {
  const caDirectory = join(directory, 'ca');
  let created = false;
  if (!existsSync(join(caDirectory, DEVELOPMENT_CA_FILES.intermediateKey))) {
    created = await generateInto(directory, caDirectory);
  }
  const [root, intermediate, keyPem] = await Promise.all(
    [DEVELOPMENT_CA_FILES.root, DEVELOPMENT_CA_FILES.intermediate, DEVELOPMENT_CA_FILES.intermediateKey].map((file) =>
      readFile(join(caDirectory, file), 'utf8'),
    ),
  );
  const rootCertificate = new x509.X509Certificate(root!);
  const intermediateCertificate = new x509.X509Certificate(intermediate!);
  return {
    chain: {
      root: rootCertificate,
      intermediate: intermediateCertificate,
      intermediateSigner: signerFromPem(keyPem!),
      intermediateKeyId: keyIdentifier(new Uint8Array(intermediateCertificate.publicKey.rawData)),
    },
    created,
  };
}

async function generateInto(directory: string, caDirectory: string): Promise<boolean> {
  await mkdir(directory, { recursive: true });
  const staging = join(directory, `.ca-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(staging, { mode: 0o700 });
  try {
    const files = await generateDevelopmentCa();
    for (const [name, content] of Object.entries(files)) {
      await writeFile(join(staging, name), content, { mode: name.endsWith('-key.pem') ? 0o600 : 0o644 });
    }
    try {
      await rename(staging, caDirectory);
      return true;
    } catch (error) {
      // Another process got there first (ENOTEMPTY / EEXIST): use its CA.
      if (!existsSync(join(caDirectory, DEVELOPMENT_CA_FILES.intermediateKey))) throw error;
      return false;
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Generates a root and an intermediate (P-256, ECDSA with SHA-256), as PEM files by name. */
export async function generateDevelopmentCa(now = Date.now()): Promise<Record<string, string>> {
  const rootKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const intermediateKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rootSpki = new Uint8Array(rootKeys.publicKey.export({ type: 'spki', format: 'der' }));
  const intermediateSpki = new Uint8Array(createPublicKey(intermediateKeys.privateKey).export({ type: 'spki', format: 'der' }));
  const rootName = 'CN=Sigil ACME Development Root, O=Sigil';
  const rootKeyId = keyIdentifier(rootSpki);
  const rootSigner = signerFromKeyObject(rootKeys.privateKey);
  const notBefore = new Date(now - 3_600_000);
  const root = await createCaCertificate({
    subject: rootName,
    spki: rootSpki,
    issuer: { name: rootName, keyId: rootKeyId, signer: rootSigner },
    notBefore,
    notAfter: new Date(now + 10 * YEAR_MS),
  });
  const intermediate = await createCaCertificate({
    subject: 'CN=Sigil ACME Development Intermediate, O=Sigil',
    spki: intermediateSpki,
    issuer: { name: rootName, keyId: rootKeyId, signer: rootSigner },
    notBefore,
    notAfter: new Date(now + 5 * YEAR_MS),
    pathLength: 0,
  });
  return {
    [DEVELOPMENT_CA_FILES.root]: root.toString('pem'),
    [DEVELOPMENT_CA_FILES.rootKey]: rootKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    [DEVELOPMENT_CA_FILES.intermediate]: intermediate.toString('pem'),
    [DEVELOPMENT_CA_FILES.intermediateKey]: intermediateKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
