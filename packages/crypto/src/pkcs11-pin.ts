import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Pkcs11Error } from './errors.js';
import type { Pkcs11Uri } from './pkcs11-uri.js';

export interface Pkcs11PinOptions {
  /** PIN used when the URI names none. */
  pin?: string;
  /** Environment read by `pin-source=env:NAME` (defaults to `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The user PIN for a token, from (in order) the URI's `pin-value`, its
 * `pin-source`, or `options.pin`; undefined when none is given, in which case
 * the signer does not log in.
 *
 * `pin-source` is a URI (RFC 7512 §2.3): `file:` URIs are read, with one
 * trailing newline dropped. As an extension, `env:NAME` reads an environment
 * variable, so a container can pass the PIN as a secret without a file.
 */
export async function resolvePkcs11Pin(uri: Pkcs11Uri, options: Pkcs11PinOptions = {}): Promise<string | undefined> {
  if (uri.pinValue !== undefined) return uri.pinValue;
  if (uri.pinSource === undefined) return options.pin;
  const source = uri.pinSource;
  if (source.startsWith('env:')) return pinFromEnv(source.slice('env:'.length), options.env ?? process.env);
  if (source.startsWith('file:')) return pinFromFile(source);
  throw new Pkcs11Error('ERR_PKCS11_PIN_UNAVAILABLE', 'unsupported pin-source: only file: and env: sources are read');
}

function pinFromEnv(name: string, env: Readonly<Record<string, string | undefined>>): string {
  if (!ENV_NAME.test(name)) throw new Pkcs11Error('ERR_PKCS11_PIN_UNAVAILABLE', 'pin-source env: needs a variable name');
  const pin = env[name];
  if (pin === undefined || pin === '') {
    throw new Pkcs11Error('ERR_PKCS11_PIN_UNAVAILABLE', `pin-source variable ${name} is not set`);
  }
  return pin;
}

async function pinFromFile(source: string): Promise<string> {
  let path: string;
  try {
    path = fileURLToPath(new URL(source));
  } catch (error) {
    throw new Pkcs11Error('ERR_PKCS11_PIN_UNAVAILABLE', 'pin-source is not a usable file: URI', { cause: error });
  }
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    throw new Pkcs11Error('ERR_PKCS11_PIN_UNAVAILABLE', `cannot read the PIN file ${path}`, { cause: error });
  }
  const pin = content.replace(/\r?\n$/, '');
  if (pin === '') throw new Pkcs11Error('ERR_PKCS11_PIN_UNAVAILABLE', `the PIN file ${path} is empty`);
  return pin;
}
