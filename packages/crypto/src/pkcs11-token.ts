import { createHash } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import type { Handle, PKCS11, TokenInfo } from 'pkcs11js';
import { constantTimeEqual } from './constant-time.js';
import { Pkcs11Error } from './errors.js';
import { pkcs11Failure, returnValueOf } from './pkcs11-failure.js';
import type { Pkcs11Uri } from './pkcs11-uri.js';

/**
 * The slot holding the one initialized token that matches the URI's token
 * attributes (RFC 7512 §3.3: an attribute absent from the URI matches
 * anything). None: `ERR_PKCS11_TOKEN_NOT_FOUND`; several:
 * `ERR_PKCS11_TOKEN_AMBIGUOUS`.
 */
export function findTokenSlot(pkcs11: PKCS11, uri: Pkcs11Uri): Handle | undefined {
  let matching: Handle[];
  try {
    matching = pkcs11.C_GetSlotList(true).filter((slot) => {
      if (uri.slotId !== undefined && slotId(slot) !== uri.slotId) return false;
      const info = pkcs11.C_GetTokenInfo(slot);
      // An uninitialized token (SoftHSM always offers one) has no label or keys to match.
      return (info.flags & pkcs11js.CKF_TOKEN_INITIALIZED) !== 0 && tokenMatches(info, uri);
    });
  } catch (error) {
    throw pkcs11Failure(error, 'listing tokens');
  }
  if (matching.length > 1) {
    throw new Pkcs11Error('ERR_PKCS11_TOKEN_AMBIGUOUS', `${matching.length} tokens match; name one with "token="`);
  }
  return matching[0];
}

function tokenMatches(info: TokenInfo, uri: Pkcs11Uri): boolean {
  return (
    fieldMatches(info.label, uri.token) &&
    fieldMatches(info.manufacturerID, uri.manufacturer) &&
    fieldMatches(info.model, uri.model) &&
    fieldMatches(info.serialNumber, uri.serial)
  );
}

/** CK_TOKEN_INFO strings are blank-padded to a fixed width (PKCS#11 v2.40 §3.2). */
function fieldMatches(field: string, wanted: string | undefined): boolean {
  return wanted === undefined || field.replace(/[ \0]+$/, '') === wanted;
}

/** CK_SLOT_ID as pkcs11js hands it: a native-endian CK_ULONG in a Buffer. */
function slotId(slot: Handle): bigint {
  return slot.length >= 8 ? slot.readBigUInt64LE(0) : BigInt(slot.readUInt32LE(0));
}

/**
 * Opens a read-only session and logs the user in when a PIN is given.
 *
 * Login state is per token and application (PKCS#11 v2.40 §5.6): once one
 * signer is logged in, C_Login on another session answers
 * CKR_USER_ALREADY_LOGGED_IN whatever PIN it is given. So the digest of the
 * PIN that logged in is remembered per token, and a later signer must
 * present the same PIN; otherwise a wrong PIN would pass unnoticed as long
 * as some other signer kept the token open.
 */
export function openUserSession(pkcs11: PKCS11, slot: Handle, pin: string | undefined): Handle {
  let session: Handle;
  try {
    session = pkcs11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
  } catch (error) {
    throw pkcs11Failure(error, 'opening a session');
  }
  if (pin === undefined) return session;
  const logins = loginsOf(pkcs11);
  const slotKey = slot.toString('hex');
  const digest = createHash('sha256').update(pin, 'utf8').digest();
  try {
    pkcs11.C_Login(session, pkcs11js.CKU_USER, pin);
    logins.set(slotKey, digest);
  } catch (error) {
    const returnValue = returnValueOf(error);
    const remembered = logins.get(slotKey);
    if (returnValue === 'CKR_USER_ALREADY_LOGGED_IN' && (remembered === undefined || constantTimeEqual(remembered, digest))) {
      return session;
    }
    closeSessionQuietly(pkcs11, session);
    if (returnValue === 'CKR_USER_ALREADY_LOGGED_IN') {
      throw new Pkcs11Error('ERR_PKCS11_PIN_INCORRECT', 'the PIN differs from the one the token is logged in with', {
        returnValue: 'CKR_PIN_INCORRECT',
      });
    }
    throw pkcs11Failure(error, 'logging in to the token');
  }
  return session;
}

/** Digests of the PINs that logged in, per module instance and slot. */
const loginDigests = new WeakMap<PKCS11, Map<string, Buffer>>();

function loginsOf(pkcs11: PKCS11): Map<string, Buffer> {
  let logins = loginDigests.get(pkcs11);
  if (logins === undefined) {
    logins = new Map();
    loginDigests.set(pkcs11, logins);
  }
  return logins;
}

export function closeSessionQuietly(pkcs11: PKCS11, session: Handle): void {
  try {
    pkcs11.C_CloseSession(session);
  } catch {
    // The session is gone either way (token removed, module finalized).
  }
}
