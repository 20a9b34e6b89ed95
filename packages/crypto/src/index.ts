export type { Signer, SignatureAlgorithm } from './signer.js';
export {
  CryptoError,
  InvalidKeyError,
  UnsupportedKeyError,
  KeyAlgorithmMismatchError,
  UnsupportedAlgorithmError,
  KeySourceError,
  RsaPkcs1InputTooLongError,
  RsaPkcs1PaddingError,
  Secp256k1SignatureError,
  Pkcs11Error,
} from './errors.js';
export type { Secp256k1ErrorCode, Pkcs11ErrorCode } from './errors.js';
export { SIGNATURE_ALGORITHMS, isSignatureAlgorithm, algorithmForPublicJwk } from './signature-algorithm.js';
export type { KeyInput } from './key-object.js';
export { signerFromKeyObject } from './key-object-signer.js';
export type { SignerOptions } from './key-object-signer.js';
export { signerFromPem, privateKeyFromPem } from './pem-signer.js';
export type { PemSignerOptions } from './pem-signer.js';
export { signerFromJwk } from './jwk-signer.js';
export { parsePkcs11Uri } from './pkcs11-uri.js';
export type { Pkcs11Uri } from './pkcs11-uri.js';
export type { Pkcs11PinOptions } from './pkcs11-pin.js';
export { signerFromPkcs11Uri, Pkcs11Signer } from './pkcs11-signer.js';
export type { Pkcs11SignerOptions } from './pkcs11-signer.js';
export { loadSigner } from './load-signer.js';
export type { SignerSource, LoadSignerOptions } from './load-signer.js';
export { verifySignature, verifySignatureWithCheckedKey } from './verify.js';
export { jwkThumbprint } from './thumbprint.js';
export { publicJwk, isPrivateJwk } from './public-jwk.js';
export { signRsaPkcs1Raw, recoverRsaPkcs1Raw, rsaPkcs1RawMaxInputLength } from './rsa-raw.js';
export type { BytesLike } from './bytes-like.js';
export { keccak256 } from './keccak.js';
export { hashEip191Message } from './eip191.js';
export { recoverSecp256k1PublicKey, secp256k1Implementation } from './secp256k1.js';
export { recoverAddress, ethereumAddress, checksumAddress } from './ethereum-address.js';
export { constantTimeEqual } from './constant-time.js';
export { secp256k1SignerFromPkcs11Uri, Pkcs11Secp256k1Signer } from './pkcs11-secp256k1-signer.js';
export type { Pkcs11Secp256k1SignerOptions } from './pkcs11-secp256k1-signer.js';
