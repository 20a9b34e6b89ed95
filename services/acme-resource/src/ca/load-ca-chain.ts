import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { jwkThumbprint, loadSigner, type Signer } from '@sigil/crypto';
import { ConfigError } from '@sigil/service-kit';
import { x509 } from '../x509.js';
import { keyIdentifier } from './ca-extensions.js';
import type { CaChain } from './ca-chain.js';

export interface ConfiguredCa {
  /** PEM file of the root certificate (`ACME_ROOT_CERTIFICATE`). */
  readonly rootCertificate: string;
  /** PEM file of the intermediate certificate (`ACME_INTERMEDIATE_CERTIFICATE`). */
  readonly intermediateCertificate: string;
  /** The intermediate's private key: PEM text, a PEM / JWK file, or a `pkcs11:` URI (`ACME_INTERMEDIATE_KEY`). */
  readonly intermediateKey: string;
}

/**
 * Loads a configured CA and checks that its parts belong together: the key
 * is the intermediate's, and the root signed the intermediate. A mismatch
 * stops start-up with a ConfigError naming the setting.
 */
export async function loadCaChain(configured: ConfiguredCa): Promise<CaChain> {
  const root = await readCertificate(configured.rootCertificate, 'ACME_ROOT_CERTIFICATE');
  const intermediate = await readCertificate(configured.intermediateCertificate, 'ACME_INTERMEDIATE_CERTIFICATE');
  let signer: Signer;
  try {
    signer = await loadSigner(configured.intermediateKey);
  } catch (error) {
    throw new ConfigError('ACME_INTERMEDIATE_KEY', `cannot load the key (${(error as Error).message})`);
  }
  const spki = new Uint8Array(intermediate.publicKey.rawData);
  const certifiedKey = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({ format: 'jwk' });
  if (jwkThumbprint(certifiedKey) !== jwkThumbprint(signer.publicJwk)) {
    await signer.close?.();
    throw new ConfigError('ACME_INTERMEDIATE_KEY', 'is not the key of ACME_INTERMEDIATE_CERTIFICATE');
  }
  if (!(await intermediate.verify({ publicKey: root.publicKey, signatureOnly: true }))) {
    await signer.close?.();
    throw new ConfigError('ACME_INTERMEDIATE_CERTIFICATE', 'is not signed by ACME_ROOT_CERTIFICATE');
  }
  return { root, intermediate, intermediateSigner: signer, intermediateKeyId: subjectKeyId(intermediate) ?? keyIdentifier(spki) };
}

async function readCertificate(path: string, setting: string): Promise<x509.X509Certificate> {
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(setting, `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return new x509.X509Certificate(pem);
  } catch {
    throw new ConfigError(setting, `${path} does not hold a PEM certificate`);
  }
}

function subjectKeyId(certificate: x509.X509Certificate): string | undefined {
  return certificate.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
}
