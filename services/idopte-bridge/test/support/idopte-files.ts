import { execFileSync } from 'node:child_process';
import { X509Certificate, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FixtureKey } from '@sigil/testkit';

/** A directory of Idopte files for one test file; `remove()` at the end. */
export interface IdopteFileSet {
  readonly dir: string;
  readonly publicKeys: string;
  readonly serviceKey: string;
  readonly serviceCert: string;
  /** The certificate's public key, as the middleware would take it from the certificate. */
  readonly certificatePublicKey: KeyObject;
  /** The certificate file's bytes. */
  readonly certificateBytes: Buffer;
  write(name: string, content: string | Buffer): string;
  env(): Record<string, string>;
  remove(): void;
}

/** A self-signed certificate for `key`, made by the openssl command line, as PEM. */
export function selfSignedCertificate(dir: string, key: FixtureKey): string {
  const keyFile = join(dir, 'certificate-key.pem');
  writeFileSync(keyFile, key.privateKeyPem, { mode: 0o600 });
  const pem = execFileSync('openssl', ['req', '-new', '-x509', '-key', keyFile, '-subj', '/CN=idopte-bridge test', '-days', '2', '-sha256'], {
    encoding: 'utf8',
  });
  rmSync(keyFile);
  return pem;
}

/** Writes the public keys file, the service key (PEM) and a certificate for it. */
export function writeIdopteFiles(options: { publicKeys: string; serviceKey: FixtureKey }): IdopteFileSet {
  const dir = mkdtempSync(join(tmpdir(), 'idopte-bridge-test-'));
  const write = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };
  const certificatePem = selfSignedCertificate(dir, options.serviceKey);
  const set: IdopteFileSet = {
    dir,
    publicKeys: write('idopte-public-keys.pem', options.publicKeys),
    serviceKey: write('service-key.pem', options.serviceKey.privateKeyPem),
    serviceCert: write('service-cert.pem', certificatePem),
    certificatePublicKey: new X509Certificate(certificatePem).publicKey,
    certificateBytes: Buffer.from(certificatePem),
    write,
    env: () => ({ IDOPTE_PUBLIC_KEYS: set.publicKeys, IDOPTE_SERVICE_KEY: set.serviceKey, IDOPTE_SERVICE_CERT: set.serviceCert }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  return set;
}
