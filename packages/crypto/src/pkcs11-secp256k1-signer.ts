import pkcs11js from 'pkcs11js';
import type { Handle } from 'pkcs11js';
import { Pkcs11Error, Secp256k1SignatureError } from './errors.js';
import { ethereumAddress } from './ethereum-address.js';
import { pkcs11Failure } from './pkcs11-failure.js';
import { acquirePkcs11Module } from './pkcs11-module.js';
import type { Pkcs11Module } from './pkcs11-module.js';
import { findPrivateKey, findPublicKeyCandidates, readOptionalAttribute } from './pkcs11-objects.js';
import { resolvePkcs11Pin } from './pkcs11-pin.js';
import type { Pkcs11PinOptions } from './pkcs11-pin.js';
import { closeSessionQuietly, findTokenSlot, openUserSession } from './pkcs11-token.js';
import { parsePkcs11Uri } from './pkcs11-uri.js';
import { recoverSecp256k1PublicKey } from './secp256k1.js';
import { SessionQueue } from './session-queue.js';

/** CKA_EC_PARAMS of secp256k1: the DER OID 1.3.132.0.10 (SEC 2 §2.4.1). */
const SECP256K1_PARAMS = '06052b8104000a';
/** The curve order n, and n / 2 (SEC 2 §2.4.1). */
const ORDER = BigInt('0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141');
const HALF_ORDER = ORDER >> 1n;

export interface Pkcs11Secp256k1SignerOptions extends Pkcs11PinOptions {
  /** Module to load when the URI has no `module-path`. */
  modulePath?: string;
}

/**
 * An Ethereum key (secp256k1) on a PKCS#11 token: it signs 32-byte digests
 * with CKM_ECDSA, and answers them as Ethereum expects, r || s || v with the
 * low s of EIP-2 and v (27 / 28) found by recovering the public key. The
 * token draws a fresh nonce for every signature.
 */
export class Pkcs11Secp256k1Signer {
  /** The uncompressed public key, 0x04 || X || Y. */
  readonly publicKey: Uint8Array;
  /** Its EIP-55 checksummed address. */
  readonly address: string;
  readonly #module: Pkcs11Module;
  readonly #session: Handle;
  readonly #key: Handle;
  readonly #queue = new SessionQueue();

  /** Use {@link secp256k1SignerFromPkcs11Uri}; this takes over the session and the module reference. */
  constructor(module: Pkcs11Module, session: Handle, key: Handle, publicKey: Uint8Array) {
    this.#module = module;
    this.#session = session;
    this.#key = key;
    this.publicKey = publicKey;
    this.address = ethereumAddress(publicKey);
  }

  /** One signature at a time on the session (PKCS#11 v2.40 §5.2), on a libuv thread (C_SignAsync). */
  signDigest(digest: Uint8Array): Promise<Uint8Array> {
    if (this.#queue.closed) return Promise.reject(new Pkcs11Error('ERR_PKCS11_SIGNER_CLOSED', 'the PKCS#11 signer is closed'));
    if (digest.length !== 32) return Promise.reject(new Secp256k1SignatureError('ERR_SECP256K1_DIGEST_INVALID', 'the digest must be 32 bytes'));
    return this.#queue.run(() => this.#sign(digest));
  }

  close(): Promise<void> {
    return this.#queue.close(() => {
      closeSessionQuietly(this.#module.pkcs11, this.#session);
      this.#module.release();
    });
  }

  async #sign(digest: Uint8Array): Promise<Uint8Array> {
    const { pkcs11 } = this.#module;
    let rs: Buffer;
    try {
      pkcs11.C_SignInit(this.#session, { mechanism: pkcs11js.CKM_ECDSA }, this.#key);
      rs = await pkcs11.C_SignAsync(this.#session, Buffer.from(digest), Buffer.alloc(64));
    } catch (error) {
      throw pkcs11Failure(error, 'signing on the token');
    }
    // EIP-2: only s ≤ n / 2 is valid on Ethereum; (r, n − s) is the same signature's twin.
    const s = BigInt(`0x${rs.subarray(32).toString('hex')}`);
    const lowS = s > HALF_ORDER ? Buffer.from((ORDER - s).toString(16).padStart(64, '0'), 'hex') : rs.subarray(32);
    const signature = Buffer.concat([rs.subarray(0, 32), lowS, Buffer.of(27)]);
    for (const v of [27, 28]) {
      signature[64] = v;
      if (Buffer.from(recoverSecp256k1PublicKey(digest, signature)).equals(this.publicKey)) return signature;
    }
    throw new Secp256k1SignatureError('ERR_SECP256K1_SIGNATURE_INVALID', 'the token signature does not recover its own public key');
  }
}

/**
 * A secp256k1 signer for the private key a `pkcs11:` URI names (RFC 7512),
 * found as `signerFromPkcs11Uri` finds keys; its public point is read from
 * the public key object (CKA_EC_PARAMS must name secp256k1).
 */
export async function secp256k1SignerFromPkcs11Uri(uriText: string, options: Pkcs11Secp256k1SignerOptions = {}): Promise<Pkcs11Secp256k1Signer> {
  const uri = parsePkcs11Uri(uriText);
  if (uri.object === undefined && uri.id === undefined) {
    throw new Pkcs11Error('ERR_PKCS11_URI_INVALID', 'name the key with "object" (its label) or "id"');
  }
  const modulePath = uri.modulePath ?? options.modulePath;
  if (modulePath === undefined) throw new Pkcs11Error('ERR_PKCS11_MODULE_NOT_FOUND', 'no PKCS#11 module: add "module-path" to the URI');
  const pin = await resolvePkcs11Pin(uri, options);
  const module = acquirePkcs11Module(modulePath);
  let session: Handle | undefined;
  try {
    const slot = findTokenSlot(module.pkcs11, uri) ?? (module.rescan() ? findTokenSlot(module.pkcs11, uri) : undefined);
    if (slot === undefined) throw new Pkcs11Error('ERR_PKCS11_TOKEN_NOT_FOUND', `no matching token in ${modulePath}`);
    session = openUserSession(module.pkcs11, slot, pin);
    const key = findPrivateKey(module.pkcs11, session, uri);
    const publicKey = readSecp256k1Point(module, session, key, uri);
    return new Pkcs11Secp256k1Signer(module, session, key, publicKey);
  } catch (error) {
    if (session !== undefined) closeSessionQuietly(module.pkcs11, session);
    module.release();
    throw error;
  }
}

function readSecp256k1Point(module: Pkcs11Module, session: Handle, key: Handle, uri: ReturnType<typeof parsePkcs11Uri>): Uint8Array {
  const { pkcs11 } = module;
  for (const object of [...findPublicKeyCandidates(pkcs11, session, key, uri), key]) {
    const params = readOptionalAttribute(pkcs11, session, object, pkcs11js.CKA_EC_PARAMS);
    const encoded = readOptionalAttribute(pkcs11, session, object, pkcs11js.CKA_EC_POINT);
    if (params === undefined || encoded === undefined) continue;
    if (params.toString('hex') !== SECP256K1_PARAMS) throw new Pkcs11Error('ERR_PKCS11_KEY_UNSUPPORTED', 'the key on the token is not a secp256k1 key');
    // CKA_EC_POINT: a DER OCTET STRING (04 41) around the 65-byte point, or the bare point.
    const point = encoded.length === 67 && encoded[0] === 0x04 && encoded[1] === 0x41 ? encoded.subarray(2) : encoded;
    if (point.length === 65 && point[0] === 0x04) return new Uint8Array(point);
  }
  throw new Pkcs11Error('ERR_PKCS11_OBJECT_NOT_FOUND', 'the token holds no readable secp256k1 public key for this private key');
}
