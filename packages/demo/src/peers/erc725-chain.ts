import { Wallet, type BaseWallet } from 'ethers';
import { deployUniversalProfile, localChainProvider, PERMISSIONS, startLocalChain, type LocalChain } from '@sigil/stand-ins';

/** The local chain, with the DApp's and the user's Universal Profiles deployed on it. */
export interface Erc725Chain {
  readonly chain: LocalChain;
  /** The DApp's profile, and the controller key (SIGN) the ip-service signs for it with. */
  readonly app: { readonly address: string; readonly controller: BaseWallet };
  /** The user's profile, a key with SIGN on it, and a key with none. */
  readonly user: { readonly address: string; readonly controller: BaseWallet; readonly stranger: BaseWallet };
  close(): Promise<void>;
}

/**
 * An in-process EVM serving JSON-RPC on loopback, with two Universal
 * Profiles deployed as LUKSO deploys them (owned by their Key Managers):
 * the DApp's, whose controller key signs at `/up/sign`, and the user's,
 * on which the user's own key holds the LSP6 SIGN permission. Every key is
 * generated for this run.
 */
export async function startErc725Chain(): Promise<Erc725Chain> {
  const appOwner = Wallet.createRandom();
  const userOwner = Wallet.createRandom();
  const chain = await startLocalChain({ fundedAccounts: [appOwner.address, userOwner.address] });
  const provider = localChainProvider(chain.url, chain.chainId);
  try {
    const [appProfile, userProfile] = await Promise.all([
      deployUniversalProfile(appOwner.connect(provider)),
      deployUniversalProfile(userOwner.connect(provider)),
    ]);
    const appController = Wallet.createRandom();
    const userController = Wallet.createRandom();
    await appProfile.setPermissions(appController.address, PERMISSIONS.SIGN);
    await userProfile.setPermissions(userController.address, PERMISSIONS.SIGN);
    return {
      chain,
      app: { address: appProfile.address, controller: appController },
      user: { address: userProfile.address, controller: userController, stranger: Wallet.createRandom() },
      close: () => chain.close(),
    };
  } catch (error) {
    await chain.close();
    throw error;
  } finally {
    provider.destroy();
  }
}
