import { createPublicKey, type KeyObject } from 'node:crypto';
import { PublicKeyFileError } from './public-key-file-error.js';

/** One of the Idopte middleware's public keys, at its position in the file (its `pubkey_id`). */
export interface MiddlewarePublicKey {
  readonly pubkeyId: number;
  readonly key: KeyObject;
  readonly modulusBits: number;
}

/**
 * The middleware public keys by position. A revoked block still takes its
 * position (its slot is empty), so revoking one key never renumbers the
 * others that deployed middleware refers to.
 */
export class MiddlewarePublicKeys {
  readonly #slots: readonly (MiddlewarePublicKey | undefined)[];

  constructor(slots: readonly (MiddlewarePublicKey | undefined)[]) {
    this.#slots = slots;
  }

  /** The key at `pubkeyId`; undefined when the position is revoked or past the end. */
  find(pubkeyId: number): MiddlewarePublicKey | undefined {
    return Number.isInteger(pubkeyId) && pubkeyId >= 0 ? this.#slots[pubkeyId] : undefined;
  }

  /** Number of positions, revoked ones included. */
  get size(): number {
    return this.#slots.length;
  }

  get revoked(): number {
    return this.#slots.filter((slot) => slot === undefined).length;
  }
}

/** The live label, and the marker of a revoked key (same body, so revoking is an edit of two lines). */
export const PUBLIC_KEY_LABEL = 'PUBLIC KEY';
export const REVOKED_PUBLIC_KEY_LABEL = 'REVOKED PUBLIC KEY';

// RFC 7468 §2: encapsulation boundaries are whole lines; §5.2: text outside them is explanatory and ignored.
const BOUNDARY = /^-----(BEGIN|END) ([\x21-\x2C\x2E-\x7E](?:[\x21-\x2C\x2E-\x7E -]*[\x21-\x2C\x2E-\x7E])?)-----[ \t]*$/;
const BASE64_LINE = /^[A-Za-z0-9+/=]*$/;

interface PemBlock {
  readonly label: string;
  readonly body: string;
  /** 1-based line of the BEGIN boundary, for messages. */
  readonly line: number;
}

/** Splits a PEM file into its blocks, in order; a block left open or closed with another label is refused. */
function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  let open: { label: string; line: number; body: string[] } | undefined;
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    const boundary = BOUNDARY.exec(line);
    if (open === undefined) {
      if (boundary?.[1] === 'BEGIN') open = { label: boundary[2]!, line: index + 1, body: [] };
      else if (boundary?.[1] === 'END') throw new PublicKeyFileError(`line ${index + 1}: END "${boundary[2]}" without a BEGIN`);
      continue;
    }
    if (boundary === null) {
      if (!BASE64_LINE.test(line)) throw new PublicKeyFileError(`line ${index + 1}: not base64 inside the block that begins on line ${open.line}`);
      open.body.push(line);
      continue;
    }
    if (boundary[1] === 'BEGIN' || boundary[2] !== open.label) {
      throw new PublicKeyFileError(`line ${index + 1}: the "${open.label}" block that begins on line ${open.line} is not closed by its END line`);
    }
    blocks.push({ label: open.label, body: open.body.join(''), line: open.line });
    open = undefined;
  }
  if (open !== undefined) throw new PublicKeyFileError(`the "${open.label}" block that begins on line ${open.line} has no END line`);
  return blocks;
}

/** A `PUBLIC KEY` block as an RSA public key (SubjectPublicKeyInfo, RFC 5280 §4.1.2.7). */
function rsaPublicKey(block: PemBlock, pubkeyId: number): MiddlewarePublicKey {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(block.body, 'base64'), format: 'der', type: 'spki' });
  } catch {
    throw new PublicKeyFileError(`key ${pubkeyId} (line ${block.line}) is not a valid public key`);
  }
  const modulusBits = key.asymmetricKeyDetails?.modulusLength;
  if (key.asymmetricKeyType !== 'rsa' || modulusBits === undefined) {
    // The middleware signs with RSA PKCS#1 v1.5; any other key could never verify.
    throw new PublicKeyFileError(`key ${pubkeyId} (line ${block.line}) is ${String(key.asymmetricKeyType)}, not RSA`);
  }
  return { pubkeyId, key, modulusBits };
}

/**
 * Reads the middleware public keys file: every `PUBLIC KEY` block is a key,
 * every `REVOKED PUBLIC KEY` block an empty position, counted together from
 * 0. Any other block (a certificate, a private key pasted by mistake) is
 * refused rather than skipped, since skipping would shift the positions.
 */
export function parseMiddlewarePublicKeys(text: string): MiddlewarePublicKeys {
  const blocks = pemBlocks(text);
  if (blocks.length === 0) throw new PublicKeyFileError(`no "${PUBLIC_KEY_LABEL}" block`);
  const slots = blocks.map((block, pubkeyId) => {
    if (block.label === REVOKED_PUBLIC_KEY_LABEL) return undefined;
    if (block.label === PUBLIC_KEY_LABEL) return rsaPublicKey(block, pubkeyId);
    throw new PublicKeyFileError(
      `block ${pubkeyId} (line ${block.line}) is "${block.label}"; only "${PUBLIC_KEY_LABEL}" and "${REVOKED_PUBLIC_KEY_LABEL}" blocks belong here`,
    );
  });
  return new MiddlewarePublicKeys(slots);
}
