import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt parameters (RFC 7914 §2): N = 2^logN is the CPU / memory cost, r
 * the block size, p the parallelization. Memory per hash is 128 · N · r
 * bytes: logN = 17, r = 8 is 128 MiB, OWASP's recommended minimum.
 */
export interface ScryptParameters {
  readonly logN: number;
  readonly r: number;
  readonly p: number;
}

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

function derive(password: string, salt: Buffer, length: number, parameters: ScryptParameters): Promise<Buffer> {
  const options: ScryptOptions = {
    N: 2 ** parameters.logN,
    r: parameters.r,
    p: parameters.p,
    // Node refuses more than 32 MiB by default; allow what the parameters need.
    maxmem: 128 * 2 ** parameters.logN * parameters.r * parameters.p + 16 * 1024 * 1024,
  };
  // NIST SP 800-63B §5.1.1.2: passwords are Unicode-normalized (NFKC) before hashing.
  const normalized = password.normalize('NFKC');
  return new Promise((resolve, reject) => {
    scrypt(normalized, salt, length, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** The stored form: a PHC string, `$scrypt$ln=17,r=8,p=1$<salt>$<hash>` (base64 without padding). */
export async function hashPassword(password: string, parameters: ScryptParameters): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, parameters);
  const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');
  return `$scrypt$ln=${parameters.logN},r=${parameters.r},p=${parameters.p}$${b64(salt)}$${b64(key)}`;
}

function parse(encoded: string): { parameters: ScryptParameters; salt: Buffer; key: Buffer } | undefined {
  const match = PHC.exec(encoded);
  if (match === null) return undefined;
  const [, logN, r, p, salt, key] = match;
  return {
    parameters: { logN: Number(logN), r: Number(r), p: Number(p) },
    salt: Buffer.from(salt!, 'base64'),
    key: Buffer.from(key!, 'base64'),
  };
}

/** Checks a password against a stored hash, with the parameters the hash was made with; constant-time comparison. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const stored = parse(encoded);
  if (stored === undefined || stored.key.length === 0) return false;
  const key = await derive(password, stored.salt, stored.key.length, stored.parameters);
  return timingSafeEqual(key, stored.key);
}

/** True when a hash was made with other parameters than the current ones: it is re-hashed at the next sign-in. */
export function needsRehash(encoded: string, parameters: ScryptParameters): boolean {
  const stored = parse(encoded);
  return (
    stored === undefined ||
    stored.parameters.logN !== parameters.logN ||
    stored.parameters.r !== parameters.r ||
    stored.parameters.p !== parameters.p ||
    stored.key.length !== KEY_BYTES
  );
}
