import { createPublicKey } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import type { Handle, PKCS11 } from 'pkcs11js';
import { Pkcs11Error } from './errors.js';
import { findPublicKeyCandidates, readOptionalAttribute } from './pkcs11-objects.js';
import type { Pkcs11Uri } from './pkcs11-uri.js';

/** PKCS#11 v3.0 values pkcs11js (a v2.40 binding) does not name. */
export const CKK_EC_EDWARDS = 0x40;
const CKA_PUBLIC_KEY_INFO = 0x129;

/** CKA_EC_PARAMS (a DER OID) → JWK curve and the raw public point's length. */
const CURVES: Readonly<Record<string, { crv: string; pointLength: number }>> = {
  '06082a8648ce3d030107': { crv: 'P-256', pointLength: 65 },
  '06052b81040022': { crv: 'P-384', pointLength: 97 },
  '06052b81040023': { crv: 'P-521', pointLength: 133 },
  '06032b6570': { crv: 'Ed25519', pointLength: 32 },
  // PKCS#11 v3.0 §2.3.10 also allows naming the Edwards curve as a PrintableString.
  '130c656477617264733235353139': { crv: 'Ed25519', pointLength: 32 },
};

/**
 * The public JWK of a private key on a token, read from its public half:
 * CKA_MODULUS + CKA_PUBLIC_EXPONENT for RSA, CKA_EC_PARAMS + CKA_EC_POINT for
 * EC and Edwards keys, looked for on the matching public key objects first
 * and then on the private key itself (RSA private keys carry both), with
 * CKA_PUBLIC_KEY_INFO (an SPKI) as the last resort.
 */
export function readPublicJwk(pkcs11: PKCS11, session: Handle, privateKey: Handle, uri: Pkcs11Uri): JsonWebKey {
  const keyType = ulong(readOptionalAttribute(pkcs11, session, privateKey, pkcs11js.CKA_KEY_TYPE));
  const read = publicJwkReader(keyType);
  const objects = [...findPublicKeyCandidates(pkcs11, session, privateKey, uri), privateKey];
  for (const object of objects) {
    const jwk = read(pkcs11, session, object);
    if (jwk !== undefined) return checked(jwk);
  }
  const spki = readOptionalAttribute(pkcs11, session, privateKey, CKA_PUBLIC_KEY_INFO);
  if (spki !== undefined && spki.length > 0) {
    return checked(createPublicKey({ key: spki, format: 'der', type: 'spki' }).export({ format: 'jwk' }));
  }
  throw new Pkcs11Error('ERR_PKCS11_OBJECT_NOT_FOUND', 'the token holds no readable public key for this private key');
}

type JwkReader = (pkcs11: PKCS11, session: Handle, object: Handle) => JsonWebKey | undefined;

function publicJwkReader(keyType: number | undefined): JwkReader {
  switch (keyType) {
    case pkcs11js.CKK_RSA:
      return readRsaJwk;
    case pkcs11js.CKK_EC:
    case CKK_EC_EDWARDS:
      return readEcJwk;
    default:
      throw new Pkcs11Error('ERR_PKCS11_KEY_UNSUPPORTED', `unsupported key type ${String(keyType)} on the token`);
  }
}

const readRsaJwk: JwkReader = (pkcs11, session, object) => {
  const modulus = readOptionalAttribute(pkcs11, session, object, pkcs11js.CKA_MODULUS);
  const exponent = readOptionalAttribute(pkcs11, session, object, pkcs11js.CKA_PUBLIC_EXPONENT);
  if (modulus === undefined || modulus.length === 0 || exponent === undefined || exponent.length === 0) return undefined;
  // RFC 7518 §6.3.1: unsigned big-endian without leading zero octets.
  return {
    kty: 'RSA',
    n: withoutLeadingZeros(modulus).toString('base64url'),
    e: withoutLeadingZeros(exponent).toString('base64url'),
  };
};

const readEcJwk: JwkReader = (pkcs11, session, object) => {
  const params = readOptionalAttribute(pkcs11, session, object, pkcs11js.CKA_EC_PARAMS);
  const encodedPoint = readOptionalAttribute(pkcs11, session, object, pkcs11js.CKA_EC_POINT);
  if (params === undefined || encodedPoint === undefined || encodedPoint.length === 0) return undefined;
  const curve = Object.hasOwn(CURVES, params.toString('hex')) ? CURVES[params.toString('hex')] : undefined;
  if (curve === undefined) throw new Pkcs11Error('ERR_PKCS11_KEY_UNSUPPORTED', 'unsupported elliptic curve on the token');
  const point = rawPoint(encodedPoint, curve.pointLength);
  if (point === undefined) return undefined;
  if (curve.crv === 'Ed25519') return { kty: 'OKP', crv: 'Ed25519', x: point.toString('base64url') };
  // SEC 1 §2.3.3 uncompressed form: 04 || X || Y, coordinates of equal width.
  if (point[0] !== 0x04) return undefined;
  const width = (curve.pointLength - 1) / 2;
  return {
    kty: 'EC',
    crv: curve.crv,
    x: point.subarray(1, 1 + width).toString('base64url'),
    y: point.subarray(1 + width).toString('base64url'),
  };
};

/**
 * CKA_EC_POINT is specified as a DER OCTET STRING around the point, but some
 * tokens store the bare point (SoftHSM does for Ed25519); the lengths tell
 * the two apart.
 */
function rawPoint(encoded: Buffer, length: number): Buffer | undefined {
  if (encoded.length === length) return encoded;
  if (encoded[0] !== 0x04) return undefined;
  const first = encoded[1] ?? 0;
  const [contentLength, headerLength] =
    first < 0x80 ? [first, 2] : first === 0x81 ? [encoded[2] ?? 0, 3] : [-1, 0];
  if (contentLength !== length || encoded.length !== headerLength + length) return undefined;
  return encoded.subarray(headerLength);
}

/** Rejects a point that is not on its curve (or a malformed RSA key) before anyone verifies against it. */
function checked(jwk: JsonWebKey): JsonWebKey {
  try {
    createPublicKey({ key: jwk, format: 'jwk' });
  } catch (error) {
    throw new Pkcs11Error('ERR_PKCS11_KEY_UNSUPPORTED', 'the public key read from the token is not valid', { cause: error });
  }
  return jwk;
}

function withoutLeadingZeros(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
  return bytes.subarray(start);
}

/** A CK_ULONG attribute value (native-endian, 8 bytes on LP64). */
function ulong(value: Buffer | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value.length >= 8) return Number(value.readBigUInt64LE(0));
  return value.length >= 4 ? value.readUInt32LE(0) : undefined;
}
