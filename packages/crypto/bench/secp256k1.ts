/**
 * secp256k1 address recovery: this package's native recovery beside ethers'
 * pure-JS `recoverAddress`, measured in the same run over the same
 * signatures. Prints recoveries per second (median of several rounds) and
 * the ratio. No ratio is enforced; the run fails only if the two disagree.
 */
import { recoverAddress as ethersRecoverAddress, Wallet } from 'ethers';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { recoverAddress, secp256k1Implementation } from '../src/index.js';
import { median } from '@sigil/testkit';

const SIGNATURES = 64;
const ROUNDS = 5;
const NATIVE_PER_ROUND = 4_000;
const ETHERS_PER_ROUND = 200;

const wallet = Wallet.createRandom();
const samples = Array.from({ length: SIGNATURES }, () => {
  const digest = `0x${randomBytes(32).toString('hex')}`;
  return { digest, signature: wallet.signingKey.sign(digest).serialized };
});

for (const { digest, signature } of samples) {
  if (recoverAddress(digest, signature) !== ethersRecoverAddress(digest, signature)) {
    console.error('native and ethers recovery disagree');
    process.exit(1);
  }
}

function perSecond(iterations: number, recover: (digest: string, signature: string) => string): number {
  const started = performance.now();
  for (let index = 0; index < iterations; index += 1) {
    const sample = samples[index % SIGNATURES] ?? samples[0];
    if (sample !== undefined) recover(sample.digest, sample.signature);
  }
  return iterations / ((performance.now() - started) / 1000);
}


const native: number[] = [];
const baseline: number[] = [];
perSecond(NATIVE_PER_ROUND / 4, recoverAddress);
perSecond(ETHERS_PER_ROUND / 4, ethersRecoverAddress);
for (let round = 0; round < ROUNDS; round += 1) {
  native.push(perSecond(NATIVE_PER_ROUND, recoverAddress));
  baseline.push(perSecond(ETHERS_PER_ROUND, ethersRecoverAddress));
}

const nativeMedian = median(native);
const baselineMedian = median(baseline);
console.log(`secp256k1 recoverAddress (${secp256k1Implementation}): ${nativeMedian.toFixed(0)}/s (median of ${ROUNDS} rounds)`);
console.log(`ethers recoverAddress (baseline):      ${baselineMedian.toFixed(0)}/s`);
console.log(`ratio: ${(nativeMedian / baselineMedian).toFixed(1)}x`);
