import { Pkcs11Error } from './errors.js';
import type { Pkcs11ErrorCode } from './errors.js';

/** The CKR_* name pkcs11js puts in the message of the errors it throws. */
export function returnValueOf(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  return /\b(CKR_[A-Z0-9_]+)/.exec(error.message)?.[1];
}

/** Return values that say something the caller can act on; all others are ERR_PKCS11_OPERATION_FAILED. */
const MEANINGFUL: Readonly<Record<string, Pkcs11ErrorCode>> = {
  CKR_PIN_INCORRECT: 'ERR_PKCS11_PIN_INCORRECT',
  CKR_PIN_INVALID: 'ERR_PKCS11_PIN_INCORRECT',
  CKR_PIN_LEN_RANGE: 'ERR_PKCS11_PIN_INCORRECT',
  CKR_PIN_LOCKED: 'ERR_PKCS11_PIN_LOCKED',
  CKR_PIN_EXPIRED: 'ERR_PKCS11_PIN_LOCKED',
  CKR_KEY_TYPE_INCONSISTENT: 'ERR_PKCS11_KEY_UNSUPPORTED',
  CKR_KEY_FUNCTION_NOT_PERMITTED: 'ERR_PKCS11_KEY_UNSUPPORTED',
  CKR_MECHANISM_INVALID: 'ERR_PKCS11_KEY_UNSUPPORTED',
  CKR_MECHANISM_PARAM_INVALID: 'ERR_PKCS11_KEY_UNSUPPORTED',
  CKR_TOKEN_NOT_PRESENT: 'ERR_PKCS11_TOKEN_NOT_FOUND',
  CKR_TOKEN_NOT_RECOGNIZED: 'ERR_PKCS11_TOKEN_NOT_FOUND',
};

/** Wraps an error thrown by pkcs11js into a typed Pkcs11Error saying what was being done. */
export function pkcs11Failure(error: unknown, doing: string): Pkcs11Error {
  if (error instanceof Pkcs11Error) return error;
  const returnValue = returnValueOf(error);
  const code = (returnValue !== undefined && Object.hasOwn(MEANINGFUL, returnValue) ? MEANINGFUL[returnValue] : undefined) ??
    'ERR_PKCS11_OPERATION_FAILED';
  return new Pkcs11Error(code, `${doing} failed${returnValue === undefined ? '' : ` (${returnValue})`}`, {
    cause: error,
    ...(returnValue === undefined ? {} : { returnValue }),
  });
}
