import { addressField, base64MessageField, booleanField, requestBody } from './request-fields.js';

/** A checked `POST /up/sign` body (seed, "1 Request Signing"). */
export interface SignRequest {
  /** EIP-55 checksummed. */
  readonly appERC725Address: string;
  /** The base64 text as sent; echoed back and matched at `/up/token`. */
  readonly message: string;
  readonly messageBytes: Uint8Array;
  readonly signaturePrefix: boolean;
}

export function parseSignRequest(body: unknown): SignRequest {
  const members = requestBody(body);
  const appERC725Address = addressField(members, 'appERC725Address');
  const { text, bytes } = base64MessageField(members, 'message');
  const signaturePrefix = booleanField(members, 'signaturePrefix');
  return { appERC725Address, message: text, messageBytes: bytes, signaturePrefix };
}
