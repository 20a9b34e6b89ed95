import { getBytes, keccak256 as ethersKeccak256 } from 'ethers';
import { randomBytes } from 'node:crypto';
import { keccak256 } from '../src/index.js';

describe('keccak256', () => {
  it('hashes the empty input to the well-known Keccak-256 value (not SHA3-256)', () => {
    expect(Buffer.from(keccak256(new Uint8Array(0))).toString('hex')).toBe(
      'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470',
    );
  });

  it('agrees with ethers on random inputs of many lengths', () => {
    for (const length of [1, 31, 32, 33, 135, 136, 137, 1000]) {
      const data = randomBytes(length);
      expect(keccak256(data)).toEqual(getBytes(ethersKeccak256(data)));
    }
  });
});
