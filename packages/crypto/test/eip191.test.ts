import { getBytes, hashMessage } from 'ethers';
import { randomBytes } from 'node:crypto';
import { hashEip191Message } from '../src/index.js';

describe('hashEip191Message', () => {
  it('equals ethers hashMessage for text (as UTF-8) and for bytes', () => {
    for (const message of ['hello', '', 'ünïcödé ✓', '0x1234']) {
      expect(hashEip191Message(message)).toEqual(getBytes(hashMessage(message)));
    }
    const bytes = randomBytes(100);
    expect(hashEip191Message(bytes)).toEqual(getBytes(hashMessage(bytes)));
  });

  it('returns 32 bytes', () => {
    expect(hashEip191Message('x')).toHaveLength(32);
  });
});
