import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';
import { describeWhen, reachable } from './environment.js';

const run = promisify(execFile);

const SLAPD = ['/usr/sbin/slapd', '/usr/local/sbin/slapd', '/usr/local/libexec/slapd'];
const SLAPADD = ['/usr/sbin/slapadd', '/usr/local/sbin/slapadd'];
const MODULE_DIRS = ['/usr/lib/ldap', '/usr/lib/x86_64-linux-gnu/ldap', '/usr/lib/aarch64-linux-gnu/ldap', '/usr/lib64/openldap', '/usr/local/libexec/openldap'];
const SCHEMA_DIRS = ['/etc/ldap/schema', '/etc/openldap/schema', '/usr/local/etc/openldap/schema'];

const find = (candidates: readonly string[]) => candidates.find((path) => existsSync(path));

export interface SlapdOptions {
  /** Suffix of the directory; default `dc=example,dc=com`. */
  baseDn?: string;
  /** LDIF of the entries under the suffix (the suffix entry itself is made here). */
  ldif: string;
  /** Also serve LDAPS and StartTLS, with a fresh self-signed certificate for 127.0.0.1. */
  tls?: boolean;
}

export interface SlapdDirectory {
  /** `ldap://127.0.0.1:<port>` (StartTLS offered when `tls`). */
  readonly url: string;
  /** `ldaps://127.0.0.1:<port>` when `tls`. */
  readonly ldapsUrl: string | undefined;
  /** PEM file of the self-signed certificate when `tls` (the CA to trust). */
  readonly caFile: string | undefined;
  readonly baseDn: string;
  /** The directory's root DN and its password. */
  readonly adminDn: string;
  readonly adminPassword: string;
  stop(): Promise<void>;
}

/** Whether OpenLDAP's slapd, slapadd, the mdb backend and the schemas are installed (Debian: `slapd`). */
export function slapdAvailable(): boolean {
  return find(SLAPD) !== undefined && find(SLAPADD) !== undefined && find(MODULE_DIRS) !== undefined && find(SCHEMA_DIRS) !== undefined;
}

/** `describe` for tests that need a real OpenLDAP server: fails under CI=true when slapd is missing, else skips. */
export function describeWithSlapd(): typeof describe | typeof describe.skip {
  return describeWhen(slapdAvailable(), 'OpenLDAP slapd (Debian package slapd)');
}

function suffixEntry(baseDn: string): string {
  const dc = /^dc=([^,]+)/i.exec(baseDn)?.[1];
  if (!dc) throw new Error('the base DN must start with a dc= component');
  return `dn: ${baseDn}\nobjectClass: dcObject\nobjectClass: organization\no: ${dc}\ndc: ${dc}\n`;
}

async function selfSignedCertificate(dir: string): Promise<{ cert: string; key: string }> {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert]);
  return { cert, key };
}

/**
 * A private OpenLDAP server for one test file: its own slapd.conf, schema
 * (core, cosine, nis, inetOrgPerson), mdb database and port on 127.0.0.1,
 * all in a temporary folder; loaded offline with slapadd, run in the
 * foreground, and removed by `stop()`. Never touches a system slapd.
 */
export async function startSlapd(options: SlapdOptions): Promise<SlapdDirectory> {
  const slapd = find(SLAPD);
  const slapadd = find(SLAPADD);
  const modules = find(MODULE_DIRS);
  const schemas = find(SCHEMA_DIRS);
  if (!slapd || !slapadd || !modules || !schemas) throw new Error('OpenLDAP slapd is not installed');
  const baseDn = options.baseDn ?? 'dc=example,dc=com';
  const adminDn = `cn=admin,${baseDn}`;
  const adminPassword = `admin-${Math.random().toString(36).slice(2)}`;
  const dir = await mkdtemp(join(tmpdir(), 'sigil-slapd-'));
  await mkdir(join(dir, 'data'));
  const tls = options.tls ? await selfSignedCertificate(dir) : undefined;
  const config = [
    ...['core', 'cosine', 'nis', 'inetorgperson'].map((name) => `include ${join(schemas, `${name}.schema`)}`),
    `pidfile ${join(dir, 'slapd.pid')}`,
    `modulepath ${modules}`,
    'moduleload back_mdb',
    ...(tls ? [`TLSCertificateFile ${tls.cert}`, `TLSCertificateKeyFile ${tls.key}`] : []),
    'database mdb',
    'maxsize 10485760',
    `suffix "${baseDn}"`,
    `rootdn "${adminDn}"`,
    `rootpw ${adminPassword}`,
    `directory ${join(dir, 'data')}`,
  ].join('\n');
  const configFile = join(dir, 'slapd.conf');
  await writeFile(configFile, `${config}\n`);
  await writeFile(join(dir, 'data.ldif'), `${suffixEntry(baseDn)}\n${options.ldif.trim()}\n`);
  await run(slapadd, ['-f', configFile, '-l', join(dir, 'data.ldif')]);

  const port = await freePort();
  const ldapsPort = tls ? await freePort() : undefined;
  const url = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = ldapsPort ? `ldaps://127.0.0.1:${ldapsPort}` : undefined;
  const listeners = [`${url}/`, ...(ldapsUrl ? [`${ldapsUrl}/`] : [])].join(' ');
  // -d keeps slapd in the foreground, tied to this process; level 0 keeps it quiet.
  const child: ChildProcess = spawn(slapd, ['-f', configFile, '-h', listeners, '-d', '0'], { stdio: 'ignore' });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const stop = async () => {
    if (!exited) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([gone, sleep(5_000)]);
      if (!exited) child.kill('SIGKILL');
    }
    await rm(dir, { recursive: true, force: true });
  };
  for (let attempt = 0; !(await reachable(url, 200)); attempt++) {
    if (exited || attempt > 100) {
      await stop();
      throw new Error('slapd did not start');
    }
    await sleep(50);
  }
  return { url, ldapsUrl, caFile: tls?.cert, baseDn, adminDn, adminPassword, stop };
}
