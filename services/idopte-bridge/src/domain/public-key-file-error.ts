/** The middleware public keys file cannot be used as it is; the message says where and why (never key bytes). */
export class PublicKeyFileError extends Error {
  readonly code = 'IDOPTE_PUBLIC_KEYS_INVALID';

  constructor(message: string) {
    super(message);
    this.name = 'PublicKeyFileError';
  }
}
