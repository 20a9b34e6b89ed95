import type { JsonWebKey } from 'node:crypto';
import type { Handle } from 'pkcs11js';
import { Pkcs11Error } from './errors.js';
import { pkcs11Failure, returnValueOf } from './pkcs11-failure.js';
import { signatureLength, tokenSignOperation } from './pkcs11-mechanism.js';
import type { TokenSignOperation } from './pkcs11-mechanism.js';
import { acquirePkcs11Module } from './pkcs11-module.js';
import type { Pkcs11Module } from './pkcs11-module.js';
import { findPrivateKey } from './pkcs11-objects.js';
import { resolvePkcs11Pin } from './pkcs11-pin.js';
import type { Pkcs11PinOptions } from './pkcs11-pin.js';
import { readPublicJwk } from './pkcs11-public-key.js';
import { closeSessionQuietly, findTokenSlot, openUserSession } from './pkcs11-token.js';
import { parsePkcs11Uri } from './pkcs11-uri.js';
import type { Pkcs11Uri } from './pkcs11-uri.js';
import { algorithmForPublicJwk } from './signature-algorithm.js';
import type { Signer, SignatureAlgorithm } from './signer.js';
import { SessionQueue } from './session-queue.js';

export interface Pkcs11SignerOptions extends Pkcs11PinOptions {
  /** As for software keys: inferred from the key; chooses PS256 or RSA-PKCS1-RAW for an RSA key. */
  algorithm?: SignatureAlgorithm;
  /** Module to load when the URI has no `module-path`. */
  modulePath?: string;
}

/** Return values after which the session (or the key handle in it) is gone, but a new session may work. */
const SESSION_LOST = new Set([
  'CKR_SESSION_HANDLE_INVALID',
  'CKR_SESSION_CLOSED',
  'CKR_USER_NOT_LOGGED_IN',
  'CKR_KEY_HANDLE_INVALID',
  'CKR_OBJECT_HANDLE_INVALID',
]);

interface OpenSession {
  readonly session: Handle;
  readonly key: Handle;
}

/**
 * A Signer over a private key on a PKCS#11 token. It holds one session,
 * logged in with the PIN; signatures are made one at a time on it (a session
 * runs a single operation, PKCS#11 v2.40 §5.2) through C_SignAsync, so the
 * token works on a libuv thread, not the event loop. A session that the
 * token drops is reopened on the next signature.
 */
export class Pkcs11Signer implements Signer {
  readonly algorithm: SignatureAlgorithm;
  readonly publicJwk: JsonWebKey;
  readonly #module: Pkcs11Module;
  readonly #slot: Handle;
  readonly #uri: Pkcs11Uri;
  readonly #pin: string | undefined;
  #open: OpenSession | undefined;
  readonly #queue = new SessionQueue();

  /** Use {@link signerFromPkcs11Uri}; this takes over `open` and the module reference. */
  constructor(
    module: Pkcs11Module,
    slot: Handle,
    uri: Pkcs11Uri,
    pin: string | undefined,
    open: OpenSession,
    algorithm: SignatureAlgorithm,
    publicJwk: JsonWebKey,
  ) {
    this.#module = module;
    this.#slot = slot;
    this.#uri = uri;
    this.#pin = pin;
    this.#open = open;
    this.algorithm = algorithm;
    this.publicJwk = publicJwk;
  }

  sign(data: Uint8Array): Promise<Uint8Array> {
    if (this.#queue.closed) return Promise.reject(closedError());
    let operation: TokenSignOperation;
    try {
      operation = tokenSignOperation(this.algorithm, data, this.publicJwk);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#queue.run(() => this.#signWithRetry(operation));
  }

  close(): Promise<void> {
    return this.#queue.close(() => {
      this.#dropSession();
      this.#module.release();
    });
  }

  async #signWithRetry(operation: TokenSignOperation): Promise<Uint8Array> {
    if (this.#queue.closed) throw closedError();
    try {
      return await this.#signOnce(operation);
    } catch (error) {
      if (!SESSION_LOST.has(returnValueOf(error) ?? '')) throw pkcs11Failure(error, 'signing on the token');
      this.#dropSession();
      try {
        return await this.#signOnce(operation);
      } catch (retryError) {
        throw pkcs11Failure(retryError, 'signing on the token');
      }
    }
  }

  async #signOnce(operation: TokenSignOperation): Promise<Uint8Array> {
    const { session, key } = this.#session();
    const { pkcs11 } = this.#module;
    pkcs11.C_SignInit(session, operation.mechanism, key);
    return pkcs11.C_SignAsync(session, operation.input, Buffer.alloc(signatureLength(this.publicJwk)));
  }

  /** The open session, opening (and logging in) anew when the last one was lost. */
  #session(): OpenSession {
    if (this.#open === undefined) {
      const session = openUserSession(this.#module.pkcs11, this.#slot, this.#pin);
      try {
        this.#open = { session, key: findPrivateKey(this.#module.pkcs11, session, this.#uri) };
      } catch (error) {
        closeSessionQuietly(this.#module.pkcs11, session);
        throw error;
      }
    }
    return this.#open;
  }

  #dropSession(): void {
    if (this.#open === undefined) return;
    closeSessionQuietly(this.#module.pkcs11, this.#open.session);
    this.#open = undefined;
  }
}

function closedError(): Pkcs11Error {
  return new Pkcs11Error('ERR_PKCS11_SIGNER_CLOSED', 'the PKCS#11 signer is closed');
}

/**
 * A Signer for the private key a `pkcs11:` URI names (RFC 7512): the module
 * from `module-path` (or `options.modulePath`), the token by `token` (and
 * `manufacturer`, `model`, `serial`, `slot-id`), the key by `object`
 * (CKA_LABEL) and/or `id` (CKA_ID), the PIN from `pin-value`, `pin-source`
 * or `options.pin`. The public key and algorithm are read once, here.
 */
export async function signerFromPkcs11Uri(uriText: string, options: Pkcs11SignerOptions = {}): Promise<Pkcs11Signer> {
  const uri = parsePkcs11Uri(uriText);
  if (uri.type !== undefined && uri.type !== 'private') {
    throw new Pkcs11Error('ERR_PKCS11_URI_INVALID', `a signer needs a private key, not type=${uri.type}`);
  }
  if (uri.object === undefined && uri.id === undefined) {
    throw new Pkcs11Error('ERR_PKCS11_URI_INVALID', 'name the key with "object" (its label) or "id"');
  }
  const modulePath = uri.modulePath ?? options.modulePath;
  if (modulePath === undefined) {
    throw new Pkcs11Error('ERR_PKCS11_MODULE_NOT_FOUND', 'no PKCS#11 module: add "module-path" to the URI');
  }
  const pin = await resolvePkcs11Pin(uri, options);
  const module = acquirePkcs11Module(modulePath);
  let session: Handle | undefined;
  try {
    const slot = findTokenSlot(module.pkcs11, uri) ?? (module.rescan() ? findTokenSlot(module.pkcs11, uri) : undefined);
    if (slot === undefined) {
      const which = uri.token === undefined ? 'matching token' : `token labelled "${uri.token}"`;
      throw new Pkcs11Error('ERR_PKCS11_TOKEN_NOT_FOUND', `no ${which} in ${modulePath}`);
    }
    session = openUserSession(module.pkcs11, slot, pin);
    const key = findPrivateKey(module.pkcs11, session, uri);
    const publicJwk = readPublicJwk(module.pkcs11, session, key, uri);
    const algorithm = algorithmForPublicJwk(publicJwk, options.algorithm);
    return new Pkcs11Signer(module, slot, uri, pin, { session, key }, algorithm, publicJwk);
  } catch (error) {
    if (session !== undefined) closeSessionQuietly(module.pkcs11, session);
    module.release();
    throw error;
  }
}
