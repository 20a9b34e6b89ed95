import {
  audiencesField,
  base64MessageField,
  booleanField,
  optionalAddressField,
  requestBody,
  signatureField,
} from './request-fields.js';

/** A checked `POST /up/token` body (seed, "2 Request Token"). */
export interface TokenRequest {
  readonly audiences: readonly string[];
  /** EIP-55 checksummed; undefined when left empty (anonymous sign-in). */
  readonly userERC725Address: string | undefined;
  readonly message: string;
  readonly originalAppSignature: Uint8Array;
  readonly signature: Uint8Array;
  /** Whether the client signed with the EIP-191 prefix. */
  readonly signaturePrefix: boolean;
}

export function parseTokenRequest(body: unknown): TokenRequest {
  const members = requestBody(body);
  return {
    audiences: audiencesField(members, 'audiences'),
    userERC725Address: optionalAddressField(members, 'userERC725Address'),
    message: base64MessageField(members, 'message').text,
    originalAppSignature: signatureField(members, 'originalAppSignature'),
    signature: signatureField(members, 'signature'),
    signaturePrefix: booleanField(members, 'signaturePrefix'),
  };
}
