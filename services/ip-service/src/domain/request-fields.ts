import { checksumAddress } from '@sigil/crypto';
import { invalidField } from './up-error.js';

/** A JSON request body, as members to read one by one. */
export type RequestBody = Readonly<Record<string, unknown>>;

/** Longest base64 message accepted at `/up/sign` (characters): a nonce, not a document. */
export const MAX_MESSAGE_LENGTH = 4096;
const MAX_AUDIENCES = 32;
const MAX_AUDIENCE_LENGTH = 2048;
const MAX_TOKEN_LENGTH = 16_384;

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const SIGNATURE = /^0x[0-9a-fA-F]{130}$/;
// RFC 4648 §4: the standard alphabet, padded to a multiple of four characters.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The body as members; anything but a JSON object is refused. */
export function requestBody(body: unknown): RequestBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidField('body', 'must be a JSON object (Content-Type: application/json)');
  }
  return body as RequestBody;
}

function present(body: RequestBody, field: string): unknown {
  const value = body[field];
  if (value === undefined || value === null) throw invalidField(field, 'is required');
  return value;
}

/**
 * An Ethereum address in any case (all lower, all upper or EIP-55 mixed),
 * answered EIP-55 checksummed. A mixed-case address is taken as the address
 * it spells, whether or not its checksum is right: the seed accepts any case.
 */
export function addressField(body: RequestBody, field: string): string {
  const value = present(body, field);
  if (typeof value !== 'string' || !ADDRESS.test(value)) throw invalidField(field, 'must be a 20-byte hex address (0x + 40 hex digits)');
  return checksumAddress(value.slice(2));
}

/** An address, or the empty string (the seed's "left empty": anonymous). */
export function optionalAddressField(body: RequestBody, field: string): string | undefined {
  const value = present(body, field);
  if (value === '') return undefined;
  return addressField(body, field);
}

/** The seed's message M: non-empty standard base64 (RFC 4648 §4); returns its text and bytes. */
export function base64MessageField(body: RequestBody, field: string): { text: string; bytes: Uint8Array } {
  const value = present(body, field);
  if (typeof value !== 'string' || value === '') throw invalidField(field, 'must be a non-empty base64 string');
  if (value.length > MAX_MESSAGE_LENGTH) throw invalidField(field, `must be at most ${MAX_MESSAGE_LENGTH} characters`);
  if (!BASE64.test(value)) throw invalidField(field, 'is not base64 (RFC 4648 §4, padded)');
  return { text: value, bytes: Buffer.from(value, 'base64') };
}

/** A 65-byte secp256k1 signature r || s || v as 0x-prefixed hex (any case). */
export function signatureField(body: RequestBody, field: string): Uint8Array {
  const value = present(body, field);
  if (typeof value !== 'string' || !SIGNATURE.test(value)) {
    throw invalidField(field, 'must be a 65-byte signature r || s || v (0x + 130 hex digits)');
  }
  return Buffer.from(value.slice(2), 'hex');
}

export function booleanField(body: RequestBody, field: string): boolean {
  const value = present(body, field);
  if (typeof value !== 'boolean') throw invalidField(field, 'must be true or false');
  return value;
}

/** A non-empty list of audiences (RFC 7519 §4.1.3: StringOrURI values), duplicates removed. */
export function audiencesField(body: RequestBody, field: string): string[] {
  const value = present(body, field);
  if (!Array.isArray(value) || value.length === 0) throw invalidField(field, 'must be a non-empty array of strings');
  if (value.length > MAX_AUDIENCES) throw invalidField(field, `must hold at most ${MAX_AUDIENCES} audiences`);
  for (const audience of value) {
    if (typeof audience !== 'string' || audience === '' || audience.length > MAX_AUDIENCE_LENGTH) {
      throw invalidField(field, `must hold non-empty strings of at most ${MAX_AUDIENCE_LENGTH} characters`);
    }
  }
  return [...new Set(value as string[])];
}

/** An opaque token (a JWT, a refresh token): a non-empty string of bounded length. */
export function tokenField(body: RequestBody, field: string): string {
  const value = present(body, field);
  if (typeof value !== 'string' || value === '' || value.length > MAX_TOKEN_LENGTH) {
    throw invalidField(field, 'must be a non-empty string');
  }
  return value;
}
