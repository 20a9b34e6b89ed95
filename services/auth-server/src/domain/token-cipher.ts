import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** One AES-256-GCM key and the id that names it in every ciphertext it made. */
export interface TokenCipherKey {
  readonly kid: string;
  readonly key: Buffer;
}

/** A ciphertext that cannot be opened: unknown key id, wrong context, or tampering. */
export class TokenCipherError extends Error {
  readonly code = 'TOKEN_CIPHER_INVALID';
  override readonly name = 'TokenCipherError';
}

const VERSION = 'v1';
const IV_BYTES = 12;

/**
 * Encryption at rest for external-provider tokens: AES-256-GCM with a fresh
 * 96-bit IV per message (NIST SP 800-38D §8.2.2), the key id in clear so
 * that keys can rotate (the first key encrypts, every listed key decrypts),
 * and a context (whose tokens, from which provider) bound as additional
 * authenticated data, so a ciphertext moved to another record fails to open.
 *
 * Format: `v1.<kid>.<iv>.<ciphertext>.<tag>`, parts base64url.
 */
export class TokenCipher {
  readonly #keys: ReadonlyMap<string, Buffer>;
  readonly #current: TokenCipherKey;

  constructor(keys: readonly TokenCipherKey[]) {
    const [current] = keys;
    if (current === undefined) throw new TypeError('TokenCipher needs at least one key');
    for (const { key } of keys) if (key.length !== 32) throw new TypeError('AES-256-GCM keys are 32 bytes');
    this.#current = current;
    this.#keys = new Map(keys.map(({ kid, key }) => [kid, key]));
  }

  /** The id of the key that encrypts. */
  get currentKid(): string {
    return this.#current.kid;
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#current.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.#current.kid, iv, ciphertext, cipher.getAuthTag()]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  open(sealed: string, context: string): string {
    const [version, kid, iv, ciphertext, tag, ...rest] = sealed.split('.');
    if (version !== VERSION || rest.length > 0 || iv === undefined || ciphertext === undefined || tag === undefined) {
      throw new TokenCipherError('not a sealed token');
    }
    const key = this.#keys.get(kid ?? '');
    if (key === undefined) throw new TokenCipherError(`no key with id ${JSON.stringify(kid)}`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new TokenCipherError('the sealed token does not open with its key and context', { cause: error });
    }
  }

  /** True when the ciphertext was made with another key than the current one (re-seal it). */
  isStale(sealed: string): boolean {
    return sealed.split('.', 2)[1] !== this.#current.kid;
  }
}
