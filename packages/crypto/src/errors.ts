/**
 * Every error this package throws on purpose is a `CryptoError` with a stable
 * string `code`: callers (and tests) branch on the code, never on the message.
 * Messages never contain key material or PINs.
 */
export abstract class CryptoError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Key material that cannot be parsed (bad PEM, malformed JWK, a public key where a private one is needed). */
export class InvalidKeyError extends CryptoError {
  readonly code = 'ERR_KEY_INVALID';
}

/**
 * A well-formed key of a type or size this package does not sign or verify
 * with (e.g. Ed448, a secp256k1 JWK, RSA under 2048 bits for RS256/PS256).
 */
export class UnsupportedKeyError extends CryptoError {
  readonly code = 'ERR_KEY_UNSUPPORTED';
}

/** The requested algorithm cannot be used with this key (e.g. ES384 with a P-256 key). */
export class KeyAlgorithmMismatchError extends CryptoError {
  readonly code = 'ERR_KEY_ALGORITHM_MISMATCH';
}

/** An algorithm name outside {@link SignatureAlgorithm}. */
export class UnsupportedAlgorithmError extends CryptoError {
  readonly code = 'ERR_ALGORITHM_UNSUPPORTED';
}

/** `loadSigner` was given something that is neither PEM, JWK, a key file nor a `pkcs11:` URI, or the file cannot be read. */
export class KeySourceError extends CryptoError {
  readonly code = 'ERR_KEY_SOURCE_INVALID';
}

/** Raw PKCS#1 v1.5 signing of more than k − 11 bytes (RFC 2313 §8.1; RFC 8017 §9.2 step 3). */
export class RsaPkcs1InputTooLongError extends CryptoError {
  readonly code = 'ERR_RSA_PKCS1_INPUT_TOO_LONG';
}

/**
 * A raw PKCS#1 v1.5 signature that does not open to a block-type-01 block
 * (00 || 01 || FF… || 00 || data, RFC 2313 §8.1), or is not k bytes long.
 */
export class RsaPkcs1PaddingError extends CryptoError {
  readonly code = 'ERR_RSA_PKCS1_PADDING_INVALID';
}

export type Secp256k1ErrorCode =
  /** The digest is not exactly 32 bytes. */
  | 'ERR_SECP256K1_DIGEST_INVALID'
  /** Not 65 bytes, r or s out of range, unknown v, or no point recovers. */
  | 'ERR_SECP256K1_SIGNATURE_INVALID'
  /** s in the upper half of the order (EIP-2): the malleable twin of a valid signature. */
  | 'ERR_SECP256K1_SIGNATURE_MALLEABLE';

export class Secp256k1SignatureError extends CryptoError {
  readonly code: Secp256k1ErrorCode;

  constructor(code: Secp256k1ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

export type Pkcs11ErrorCode =
  /** The `pkcs11:` URI does not parse, repeats an attribute, or names one this package cannot honour (RFC 7512 §2.3). */
  | 'ERR_PKCS11_URI_INVALID'
  /** The PIN source (file, environment variable) is missing, unreadable or of an unsupported kind. */
  | 'ERR_PKCS11_PIN_UNAVAILABLE'
  /** No module path, or the module cannot be loaded / initialized. */
  | 'ERR_PKCS11_MODULE_NOT_FOUND'
  | 'ERR_PKCS11_TOKEN_NOT_FOUND'
  /** The URI's token attributes match several tokens. */
  | 'ERR_PKCS11_TOKEN_AMBIGUOUS'
  /** No private key (or no public half for it) matches `object` / `id`. */
  | 'ERR_PKCS11_OBJECT_NOT_FOUND'
  /** Several private keys match `object` / `id`. */
  | 'ERR_PKCS11_OBJECT_AMBIGUOUS'
  | 'ERR_PKCS11_PIN_INCORRECT'
  | 'ERR_PKCS11_PIN_LOCKED'
  /** The key on the token is of a type or curve this package does not sign with. */
  | 'ERR_PKCS11_KEY_UNSUPPORTED'
  /** `sign()` after `close()`. */
  | 'ERR_PKCS11_SIGNER_CLOSED'
  /** Any other failure reported by the token; `returnValue` holds the CKR_* name. */
  | 'ERR_PKCS11_OPERATION_FAILED';

export class Pkcs11Error extends CryptoError {
  readonly code: Pkcs11ErrorCode;
  /** The PKCS#11 return value name (e.g. `CKR_PIN_INCORRECT`) when the token reported one. */
  readonly returnValue: string | undefined;

  constructor(code: Pkcs11ErrorCode, message: string, options?: ErrorOptions & { returnValue?: string }) {
    super(message, options);
    this.code = code;
    this.returnValue = options?.returnValue;
  }
}
