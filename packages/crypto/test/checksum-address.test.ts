import { randomBytes } from 'node:crypto';
import { getAddress } from 'ethers';
import { checksumAddress } from '../src/index.js';

describe('checksumAddress (EIP-55)', () => {
  it('matches the EIP-55 examples', () => {
    for (const address of ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359', '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb']) {
      expect(checksumAddress(address.slice(2))).toBe(address);
    }
  });

  it('agrees with ethers for random addresses in any case', () => {
    for (let i = 0; i < 200; i++) {
      const hex = randomBytes(20).toString('hex');
      expect(checksumAddress(hex.toUpperCase())).toBe(getAddress(`0x${hex}`));
    }
  });
});
