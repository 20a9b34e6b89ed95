// DPoP proof verifications per second (ES256, a fresh proof for every
// verification, in-memory replay store) beside bare node:crypto verification
// of the same signatures over the same data with the same key, measured in
// alternating rounds of one run. The ratio must stay at or above TARGET: the
// protocol checks around the signature may cost at most as much as the
// signature itself. Proofs are verified IN_FLIGHT at a time, as a server
// verifies them (verifyDpopProof checks the signature in libuv's thread pool);
// the baseline is node:crypto's synchronous verify, one after another, on the
// event loop.
import { generateKeyPairSync, verify } from 'node:crypto';
import { signerFromKeyObject } from '@sigil/crypto';
import { createStore } from '@sigil/store';
import { createDpopProof, verifyDpopProof } from '../src/index.js';
import { median } from '@sigil/testkit';

const TARGET = 0.5;
const ROUNDS = 7;
const PER_ROUND = 1500;
const HTU = 'https://as.example.com/token';
const IN_FLIGHT = 16;

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signer = signerFromKeyObject(privateKey);
const replay = createStore({ prefix: 'bench:' });

interface Prepared {
  proofs: string[];
  signingInputs: Buffer[];
  signatures: Buffer[];
}

/** Proofs made outside the timing; the bare baseline gets the very same bytes. */
async function prepare(count: number): Promise<Prepared> {
  const proofs = await Promise.all(Array.from({ length: count }, () => createDpopProof(signer, { htm: 'POST', htu: HTU })));
  return {
    proofs,
    signingInputs: proofs.map((proof) => Buffer.from(proof.slice(0, proof.lastIndexOf('.')), 'latin1')),
    signatures: proofs.map((proof) => Buffer.from(proof.slice(proof.lastIndexOf('.') + 1), 'base64url')),
  };
}

/** Runs `check(i)` for every i below `count`, IN_FLIGHT at a time; checks per second. */
async function perSecond(count: number, check: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count) await check(next++);
    }),
  );
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

function dpopPerSecond({ proofs }: Prepared): Promise<number> {
  return perSecond(proofs.length, async (i) => {
    await verifyDpopProof(proofs[i]!, { htm: 'POST', htu: HTU, replay, algorithms: ['ES256'] });
  });
}

function barePerSecond({ signingInputs, signatures }: Prepared): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < signingInputs.length; i += 1) {
    if (!verify('sha256', signingInputs[i]!, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signatures[i]!)) {
      throw new Error('baseline verification failed');
    }
  }
  return signingInputs.length / (Number(process.hrtime.bigint() - started) / 1e9);
}


// Warm-up, not counted.
const warmUp = await prepare(300);
await dpopPerSecond(warmUp);
barePerSecond(warmUp);

const dpopRates: number[] = [];
const bareRates: number[] = [];
const ratios: number[] = [];
for (let round = 0; round < ROUNDS; round += 1) {
  const prepared = await prepare(PER_ROUND);
  // Alternate which goes first, so drift in machine load favours neither.
  let dpop: number;
  let bare: number;
  if (round % 2 === 0) {
    dpop = await dpopPerSecond(prepared);
    bare = barePerSecond(prepared);
  } else {
    bare = barePerSecond(prepared);
    dpop = await dpopPerSecond(prepared);
  }
  dpopRates.push(dpop);
  bareRates.push(bare);
  ratios.push(dpop / bare);
}
await replay.close();

const ratio = median(ratios);
console.log(
  `dpop verifications/s: ${Math.round(median(dpopRates))} (bare node:crypto verify ${Math.round(median(bareRates))}) ` +
    `ratio ${ratio.toFixed(2)} (target ≥ ${TARGET}) over ${ROUNDS} rounds of ${PER_ROUND}, ${IN_FLIGHT} in flight`,
);
if (ratio < TARGET) {
  console.error(`dpop verification is below ${TARGET} of bare signature verification`);
  process.exit(1);
}
