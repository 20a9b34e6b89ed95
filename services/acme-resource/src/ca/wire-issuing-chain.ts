import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jwkThumbprint, loadSigner, signerFromPem, type Signer } from '@sigil/crypto';
import { ConfigError, type Logger } from '@sigil/service-kit';
import { x509 } from '../x509.js';
import { keyIdentifier } from './ca-extensions.js';
import type { CaChain } from './ca-chain.js';
import { createCaCertificate } from './create-ca-certificate.js';
import { DEVELOPMENT_CA_FILES } from './development-ca.js';
import { developmentCaDirectory } from './load-certificate-authority.js';
import { uriNameConstraints } from './name-constraints.js';

export interface WireIssuingSettings {
  /** PEM file of the Wire intermediate (`ACME_WIRE_INTERMEDIATE_CERTIFICATE`). */
  readonly certificate?: string | undefined;
  /** Its key: PEM text, a PEM / JWK file, or a `pkcs11:` URI (`ACME_WIRE_INTERMEDIATE_KEY`). */
  readonly key?: string | undefined;
  readonly domain: string;
  readonly caDir?: string | undefined;
  readonly production: boolean;
}

const YEAR_MS = 365 * 24 * 3_600_000;

/**
 * The intermediate that issues Wire device certificates: signed by the
 * root, with name constraints permitting only URIs of the Wire domain, so
 * that a relying party can trust it for device identities and nothing else.
 * Configured in production; generated once from the development root in
 * development.
 */
export async function loadWireIssuingChain(settings: WireIssuingSettings, root: CaChain, logger: Logger): Promise<CaChain> {
  if (settings.certificate !== undefined || settings.key !== undefined) {
    if (settings.certificate === undefined) throw new ConfigError('ACME_WIRE_INTERMEDIATE_CERTIFICATE', 'is required with ACME_WIRE_INTERMEDIATE_KEY');
    if (settings.key === undefined) throw new ConfigError('ACME_WIRE_INTERMEDIATE_KEY', 'is required with ACME_WIRE_INTERMEDIATE_CERTIFICATE');
    let pem: string;
    try {
      pem = await readFile(settings.certificate, 'utf8');
    } catch {
      throw new ConfigError('ACME_WIRE_INTERMEDIATE_CERTIFICATE', `cannot read ${settings.certificate}`);
    }
    let signer: Signer;
    try {
      signer = await loadSigner(settings.key);
    } catch (error) {
      throw new ConfigError('ACME_WIRE_INTERMEDIATE_KEY', `cannot load the key (${(error as Error).message})`);
    }
    return checkedChain(root, new x509.X509Certificate(pem), signer);
  }
  if (settings.production) throw new ConfigError('ACME_WIRE_INTERMEDIATE_KEY', 'is required when NODE_ENV=production and ACME_WIRE_DOMAIN is set');
  const caDirectory = join(developmentCaDirectory(settings.caDir), 'ca');
  const rootKeyPath = join(caDirectory, DEVELOPMENT_CA_FILES.rootKey);
  if (!existsSync(rootKeyPath)) {
    throw new ConfigError('ACME_WIRE_INTERMEDIATE_KEY', 'is required when the CA is configured (no development root key to generate one with)');
  }
  const path = join(caDirectory, `wire-intermediate-${settings.domain}.json`);
  if (!existsSync(path)) {
    const rootSigner = signerFromPem(await readFile(rootKeyPath, 'utf8'));
    const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const spki = new Uint8Array(createPublicKey(keys.privateKey).export({ type: 'spki', format: 'der' }));
    const now = Date.now();
    const certificate = await createCaCertificate({
      subject: `CN=Sigil Wire Device Intermediate ${settings.domain}, O=Sigil`,
      spki,
      issuer: { name: root.root.subject, keyId: keyIdentifier(new Uint8Array(root.root.publicKey.rawData)), signer: rootSigner },
      notBefore: new Date(now - 3_600_000),
      notAfter: new Date(now + 5 * YEAR_MS),
      pathLength: 0,
      extensions: [uriNameConstraints(settings.domain)],
    });
    const content = JSON.stringify({ certificate: certificate.toString('pem'), key: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
    // Written aside and linked into place: of replicas starting at once, one file wins and all read it.
    const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temporary, content, { mode: 0o600, flag: 'wx' });
    try {
      await link(temporary, path);
      logger.warn({ path }, 'generated a development Wire device intermediate');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await unlink(temporary);
    }
  }
  const stored = JSON.parse(await readFile(path, 'utf8')) as { certificate: string; key: string };
  return checkedChain(root, new x509.X509Certificate(stored.certificate), signerFromPem(stored.key));
}

async function checkedChain(root: CaChain, intermediate: x509.X509Certificate, signer: Signer): Promise<CaChain> {
  const spki = new Uint8Array(intermediate.publicKey.rawData);
  const certified = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({ format: 'jwk' });
  if (jwkThumbprint(certified) !== jwkThumbprint(signer.publicJwk)) {
    await signer.close?.();
    throw new ConfigError('ACME_WIRE_INTERMEDIATE_KEY', 'is not the key of the Wire intermediate certificate');
  }
  if (!(await intermediate.verify({ publicKey: root.root.publicKey, signatureOnly: true }))) {
    await signer.close?.();
    throw new ConfigError('ACME_WIRE_INTERMEDIATE_CERTIFICATE', 'is not signed by the root');
  }
  return { root: root.root, intermediate, intermediateSigner: signer, intermediateKeyId: keyIdentifier(spki) };
}
