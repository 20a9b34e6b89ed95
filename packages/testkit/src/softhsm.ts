import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Real SoftHSM2 tokens for tests of PKCS#11 code.
 *
 * SoftHSM reads its configuration file (named by SOFTHSM2_CONF) once, at
 * C_Initialize, and only sees the tokens that exist then; a test runner
 * process runs many test files one after another. So every process uses the
 * same configuration and token directory, set here before anything loads the
 * module, and every token gets a label of its own instead of its own
 * directory. A SOFTHSM2_CONF already in the environment (a developer's or a
 * CI image's own store) is used instead of the default below.
 */

const run = promisify(execFile);

/** The one configuration and token store shared by every test process on this machine. */
const SOFTHSM_HOME = join(tmpdir(), 'sigil-softhsm2');
const DEFAULT_CONFIG_PATH = join(SOFTHSM_HOME, 'softhsm2.conf');
const TOKEN_DIR = join(SOFTHSM_HOME, 'tokens');
const inheritedConfigPath = process.env.SOFTHSM2_CONF;
const CONFIG_PATH = inheritedConfigPath !== undefined && inheritedConfigPath !== '' ? inheritedConfigPath : DEFAULT_CONFIG_PATH;

/** Where distributions put the module; SOFTHSM2_MODULE overrides. */
const MODULE_CANDIDATES = [
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib64/pkcs11/libsofthsm2.so',
  '/usr/local/lib/softhsm/libsofthsm2.so',
  '/opt/homebrew/lib/softhsm/libsofthsm2.so',
];

export interface SoftHsmToken {
  /** Path of the SoftHSM2 PKCS#11 module. */
  modulePath: string;
  /** The token's label, unique to this token. */
  tokenLabel: string;
  /** The user PIN. */
  pin: string;
  /** A `pkcs11:` URI with module-path, token, object and pin-value for the key labelled `objectLabel`. */
  uri(objectLabel: string): string;
  /** Deletes the token from the shared store (call once its signers are closed). */
  remove(): Promise<void>;
}

// Set on import, so a test file that imports this fixture has it before any module initializes.
exportConfigPath();

/**
 * Puts SOFTHSM2_CONF into the real environment of the process, where the
 * module's getenv() looks. Assigning process.env is not enough under jest:
 * each test file gets a copy of process.env, and changes to the copy never
 * reach native code. process.loadEnvFile writes the environment itself (and
 * never overrides a variable that is already set).
 */
function exportConfigPath(): void {
  process.env.SOFTHSM2_CONF = CONFIG_PATH;
  const directory = mkdtempSync(join(tmpdir(), 'sigil-softhsm-env-'));
  try {
    const file = join(directory, 'softhsm.env');
    writeFileSync(file, `SOFTHSM2_CONF=${JSON.stringify(CONFIG_PATH)}\n`);
    process.loadEnvFile(file);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * Whether SoftHSM2 (softhsm2-util and the module) is installed. Outside CI a
 * test may skip when it is not; with CI=true a missing SoftHSM is an error,
 * so a broken CI image cannot pass by skipping.
 */
export function softHsmAvailable(): boolean {
  const available = findModulePath() !== undefined && hasSoftHsmUtil();
  if (!available && process.env.CI === 'true') {
    throw new Error(
      'SoftHSM2 is required in CI (CI=true) but softhsm2-util or libsofthsm2.so is missing; install the softhsm2 package',
    );
  }
  return available;
}

/**
 * Initializes a fresh token and imports each PKCS#8 PEM private key into it
 * (softhsm2-util --import also creates the public key object, with the same
 * label and CKA_ID). softhsm2-util 2.6 takes PKCS#8 PEM for RSA, EC (P-256,
 * P-384, P-521, secp256k1) and Ed25519 keys alike, so no other import path is
 * needed; for Ed25519 it stores CKA_EC_POINT as the bare 32-byte key rather
 * than a DER OCTET STRING, which readers must accept.
 *
 * All of a test file's keys belong in one call: a process whose SoftHSM is
 * already initialized does not see tokens created later until the module is
 * finalized and initialized again.
 */
export async function createSoftHsmToken(keys: { label: string; privateKeyPem: string }[]): Promise<SoftHsmToken> {
  const modulePath = findModulePath();
  if (modulePath === undefined || !hasSoftHsmUtil()) {
    throw new Error('SoftHSM2 is not installed: softhsm2-util and libsofthsm2.so are needed');
  }
  ensureConfiguration();
  // CK_TOKEN_INFO.label holds at most 32 bytes.
  const tokenLabel = `sigil-${process.pid.toString(36)}-${randomBytes(6).toString('hex')}`;
  const pin = randomBytes(4).toString('hex');
  const soPin = randomBytes(4).toString('hex');
  await softhsm2Util(['--init-token', '--free', '--label', tokenLabel, '--pin', pin, '--so-pin', soPin]);

  const workDir = await mkdtemp(join(tmpdir(), 'sigil-softhsm-import-'));
  try {
    for (const [index, key] of keys.entries()) {
      const file = join(workDir, `key-${index}.pem`);
      await writeFile(file, key.privateKeyPem, { mode: 0o600 });
      const id = (index + 1).toString(16).padStart(2, '0');
      await softhsm2Util(['--import', file, '--token', tokenLabel, '--label', key.label, '--id', id, '--pin', pin]);
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }

  return {
    modulePath,
    tokenLabel,
    pin,
    uri: (objectLabel) =>
      `pkcs11:token=${encodeURIComponent(tokenLabel)};object=${encodeURIComponent(objectLabel)};type=private` +
      `?module-path=${encodeURIComponent(modulePath)}&pin-value=${encodeURIComponent(pin)}`,
    remove: async () => {
      await softhsm2Util(['--delete-token', '--token', tokenLabel]);
    },
  };
}

function findModulePath(): string | undefined {
  const override = process.env.SOFTHSM2_MODULE;
  if (override !== undefined && override !== '') return existsSync(override) ? override : undefined;
  return MODULE_CANDIDATES.find((candidate) => existsSync(candidate));
}

let softHsmUtilFound: boolean | undefined;

function hasSoftHsmUtil(): boolean {
  if (softHsmUtilFound === undefined) {
    try {
      execFileSync('softhsm2-util', ['--version'], { stdio: 'ignore' });
      softHsmUtilFound = true;
    } catch {
      softHsmUtilFound = false;
    }
  }
  return softHsmUtilFound;
}

/**
 * Creates the shared configuration once; written to a temporary name and
 * renamed, so parallel workers never read half a file.
 */
function ensureConfiguration(): void {
  if (CONFIG_PATH !== DEFAULT_CONFIG_PATH) return;
  mkdirSync(TOKEN_DIR, { recursive: true });
  if (existsSync(CONFIG_PATH)) return;
  const temporary = `${CONFIG_PATH}.${process.pid}.${randomBytes(4).toString('hex')}`;
  const settings = [`directories.tokendir = ${TOKEN_DIR}`, 'objectstore.backend = file', 'log.level = ERROR', 'slots.removable = false'];
  writeFileSync(temporary, `${settings.join('\n')}\n`);
  renameSync(temporary, CONFIG_PATH);
}

async function softhsm2Util(args: string[]): Promise<void> {
  try {
    await run('softhsm2-util', args, { env: { ...process.env, SOFTHSM2_CONF: CONFIG_PATH } });
  } catch (error) {
    // Neither the command line nor the original error (which quotes it) is kept: it holds the PINs.
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    const output = [stderr, stdout].find((text) => text !== undefined && text.trim() !== '') ?? '';
    throw new Error(`softhsm2-util ${args[0] ?? ''} failed: ${output.trim()}`);
  }
}
