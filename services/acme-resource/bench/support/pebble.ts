import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signerFromKeyObject } from '@sigil/crypto';
import { createCaCertificate, keyIdentifier } from '../../src/ca/create-ca-certificate.js';
import { x509SigningKey } from '../../src/ca/signer-crypto.js';
import { x509 } from '../../src/x509.js';

export interface RunningPebble {
  readonly directoryUrl: string;
  /** PEM of the CA that signed pebble's HTTPS certificate: the client must trust it. */
  readonly tlsCa: string;
  stop(): Promise<void>;
}

/** pebble's HTTPS listener needs a certificate for localhost; the Debian package ships none, so one is made here. */
async function localhostCertificate(dir: string): Promise<{ cert: string; key: string; ca: string }> {
  const caKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const caSpki = new Uint8Array(caKeys.publicKey.export({ type: 'spki', format: 'der' }));
  const caSigner = signerFromKeyObject(caKeys.privateKey);
  const caName = 'CN=Sigil bench TLS CA';
  const now = Date.now();
  const ca = await createCaCertificate({
    subject: caName,
    spki: caSpki,
    issuer: { name: caName, keyId: keyIdentifier(caSpki), signer: caSigner },
    notBefore: new Date(now - 3_600_000),
    notAfter: new Date(now + 86_400_000),
  });
  const serverKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signing = x509SigningKey(caSigner);
  const server = await x509.X509CertificateGenerator.create(
    {
      serialNumber: '01',
      subject: 'CN=localhost',
      issuer: caName,
      notBefore: new Date(now - 3_600_000),
      notAfter: new Date(now + 86_400_000),
      publicKey: new Uint8Array(serverKeys.publicKey.export({ type: 'spki', format: 'der' })),
      signingKey: signing.signingKey,
      signingAlgorithm: signing.signingAlgorithm,
      extensions: [
        new x509.SubjectAlternativeNameExtension([
          { type: 'dns', value: 'localhost' },
          { type: 'ip', value: '127.0.0.1' },
        ]),
        new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.1']),
      ],
    },
    signing.crypto,
  );
  const files = { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem'), ca: join(dir, 'ca.pem') };
  writeFileSync(files.cert, server.toString('pem'));
  writeFileSync(files.key, serverKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(files.ca, ca.toString('pem'));
  return { ...files, ca: ca.toString('pem') };
}

/**
 * Starts the Debian `pebble` with real http-01 validation: no VA sleep, no
 * random nonce rejection, validation on the responder's port, names resolved
 * by the given DNS server.
 */
export async function startPebble(options: { port: number; managementPort: number; httpPort: number; dnsPort: number }): Promise<RunningPebble> {
  const dir = mkdtempSync(join(tmpdir(), 'sigil-bench-pebble-'));
  const tls = await localhostCertificate(dir);
  const config = join(dir, 'pebble-config.json');
  writeFileSync(
    config,
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${options.port}`,
        managementListenAddress: `127.0.0.1:${options.managementPort}`,
        certificate: join(dir, 'cert.pem'),
        privateKey: join(dir, 'key.pem'),
        httpPort: options.httpPort,
        tlsPort: 5001,
        ocspResponderURL: '',
        externalAccountBindingRequired: false,
      },
    }),
  );
  const env: NodeJS.ProcessEnv = { ...process.env, PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0', PEBBLE_AUTHZREUSE: '0' };
  delete env.PEBBLE_VA_ALWAYS_VALID;
  const child: ChildProcess = spawn('pebble', ['-config', config, '-dnsserver', `127.0.0.1:${options.dnsPort}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    // Read only until pebble listens: it logs every request, and those lines
    // must not cost this process (the ACME client of both sides) anything.
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes('Listening on')) return;
      for (const stream of [child.stdout!, child.stderr!]) stream.off('data', onData).resume();
      resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`pebble exited with ${code}: ${output}`)));
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new Error('pebble is not installed: the baseline of this benchmark is Debian\'s `pebble` (apt-get install pebble)') : error),
    );
  });
  return {
    directoryUrl: `https://127.0.0.1:${options.port}/dir`,
    tlsCa: tls.ca,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
