import { keccak256 } from './keccak.js';

const PREFIX = '\x19Ethereum Signed Message:\n';

/**
 * The EIP-191 version 0x45 digest that `personal_sign` and ethers'
 * `signMessage` sign: keccak256("\x19Ethereum Signed Message:\n" + length +
 * message). A string is taken as UTF-8 text (as ethers does), not as hex.
 */
export function hashEip191Message(message: Uint8Array | string): Uint8Array {
  const body = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
  return keccak256(Buffer.concat([Buffer.from(`${PREFIX}${body.length}`, 'utf8'), body]));
}
