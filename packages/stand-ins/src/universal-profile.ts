import { readFileSync } from 'node:fs';
import { ContractFactory, JsonRpcProvider, Network, zeroPadValue, type Contract, type BaseWallet, type InterfaceAbi } from 'ethers';
import { permissionsDataKey, PERMISSIONS } from './lsp6-permissions.js';

interface Artifact {
  readonly abi: InterfaceAbi;
  readonly bytecode: string;
}

function artifact(name: 'UniversalProfile' | 'LSP6KeyManager'): Artifact {
  return JSON.parse(readFileSync(new URL(`../contracts/lukso/${name}.json`, import.meta.url), 'utf8')) as Artifact;
}

/** A deployed Universal Profile owned by its LSP6 Key Manager, and the EOA that controls it with every permission. */
export interface DeployedProfile {
  readonly address: string;
  readonly keyManager: string;
  /** Sets `controller`'s permissions, as the profile's owner does: `setData` through `KeyManager.execute`. */
  setPermissions(controller: string, permissions: string): Promise<void>;
  readPermissions(controller: string): Promise<string>;
}

/** An ethers provider for a local chain: no request cache, so nonces and fresh reads are never stale. */
export function localChainProvider(url: string, chainId: number): JsonRpcProvider {
  return new JsonRpcProvider(url, Network.from(chainId), { staticNetwork: true, cacheTimeout: -1 });
}

/**
 * Deploys a profile as LUKSO does: the profile with `owner` as its first
 * owner, `owner`'s permissions (all of them), the Key Manager, and the
 * two-step ownership transfer (LSP14) to the Key Manager.
 */
export async function deployUniversalProfile(owner: BaseWallet): Promise<DeployedProfile> {
  const UP = artifact('UniversalProfile');
  const KM = artifact('LSP6KeyManager');
  const profile = (await (await new ContractFactory(UP.abi, UP.bytecode, owner).deploy(owner.address)).waitForDeployment()) as Contract;
  const profileAddress = await profile.getAddress();
  const keyManager = (await (await new ContractFactory(KM.abi, KM.bytecode, owner).deploy(profileAddress)).waitForDeployment()) as Contract;
  const keyManagerAddress = await keyManager.getAddress();

  await (await profile.getFunction('setData')(permissionsDataKey(owner.address), zeroPadValue(PERMISSIONS.ALL, 32))).wait();
  await (await profile.getFunction('transferOwnership')(keyManagerAddress)).wait();
  await (await keyManager.getFunction('execute')(profile.interface.encodeFunctionData('acceptOwnership'))).wait();

  return {
    address: profileAddress,
    keyManager: keyManagerAddress,
    setPermissions: async (controller, permissions) => {
      const payload = profile.interface.encodeFunctionData('setData', [permissionsDataKey(controller), zeroPadValue(permissions, 32)]);
      await (await keyManager.getFunction('execute')(payload)).wait();
    },
    readPermissions: async (controller) => (await profile.getFunction('getData')(permissionsDataKey(controller))) as string,
  };
}
