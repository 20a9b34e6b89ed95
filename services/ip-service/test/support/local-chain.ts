/**
 * A local chain for trying the service by hand (`pnpm --filter
 * @sigil/ip-service chain`): an in-process EVM served on
 * http://127.0.0.1:8545 (the demo app's rpcUrl; `--port` to change), with a
 * Universal Profile owned by its Key Manager and a controller holding SIGN
 * on it. Prints what a client needs, then serves until interrupted. Every
 * key is generated for this run and dies with it.
 */
import { Wallet } from 'ethers';
import { deployUniversalProfile, localChainProvider, PERMISSIONS, startLocalChain } from '@sigil/stand-ins';

const portFlag = process.argv.indexOf('--port');
const port = portFlag >= 0 ? Number(process.argv[portFlag + 1]) : 8545;
const owner = Wallet.createRandom();
const controller = Wallet.createRandom();
const chain = await startLocalChain({ fundedAccounts: [owner.address], port });
const profile = await deployUniversalProfile(owner.connect(localChainProvider(chain.url, chain.chainId)));
await profile.setPermissions(controller.address, PERMISSIONS.SIGN);

console.log(`chain:            ${chain.url} (chainId ${chain.chainId})`);
console.log(`profile:          ${profile.address} (owned by its Key Manager ${profile.keyManager})`);
console.log(`controller (SIGN): ${controller.address}`);
console.log(`controller key, for this throwaway chain only: ${controller.privateKey}`);
console.log('Ctrl-C to stop.');

const stop = () => {
  void chain.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
