import type * as EthersModule from 'ethers';
import type { Interface, JsonRpcProvider } from 'ethers';
import { permissionsDataKey } from '../domain/lsp6-permissions.js';
import { UpError } from '../domain/up-error.js';

type Ethers = typeof EthersModule;
let ethersModule: Promise<Ethers> | undefined;
let erc725y: Interface | undefined;

/**
 * ethers is large (about 40 MB resident once loaded), and only profile
 * sign-ins need it: it is loaded on the first permission check rather than
 * at start-up, so an idle replica stays small.
 */
async function loadEthers(): Promise<{ ethers: Ethers; ERC725Y: Interface }> {
  const ethers = await (ethersModule ??= import('ethers'));
  // ERC725Y `getData(bytes32) → bytes` (LSP2 / ERC725 v5+).
  erc725y ??= new ethers.Interface(['function getData(bytes32 dataKey) view returns (bytes dataValue)']);
  return { ethers, ERC725Y: erc725y };
}

/** The chain an app's users' profiles live on. */
export interface ChainEndpoint {
  readonly rpcUrl: string;
  readonly chainId: number;
}

/**
 * Reads LSP6 permissions from Universal Profiles over Ethereum JSON-RPC
 * (`eth_call` of `getData`), one provider per endpoint, each with a static
 * network (no `eth_chainId` probe per request) and a timeout per request.
 */
export class ProfilePermissions {
  readonly #providers = new Map<string, JsonRpcProvider>();

  constructor(private readonly timeoutMs: number) {}

  /**
   * The permissions value `profile` stores for `key` (0x-hex bytes; `0x` when
   * none). A profile that cannot answer (no contract there, a revert) reads as
   * no permission; a chain that does not answer is `chain-unavailable` (503):
   * the sign-in fails closed.
   */
  async read(chain: ChainEndpoint, profile: string, key: string): Promise<string> {
    const { ethers, ERC725Y } = await loadEthers();
    const data = ERC725Y.encodeFunctionData('getData', [permissionsDataKey(key)]);
    let result: string;
    try {
      result = await this.#provider(ethers, chain).call({ to: profile, data });
    } catch (error) {
      if (ethers.isError(error, 'CALL_EXCEPTION')) return '0x';
      throw new UpError('chain-unavailable', 'the chain did not answer the permission check; try again shortly', undefined, {
        cause: error,
      });
    }
    try {
      return ERC725Y.decodeFunctionResult('getData', result)[0] as string;
    } catch {
      // `0x` from an account without code, or anything else that is not ABI-encoded bytes.
      return '0x';
    }
  }

  /** Stops every provider (their pending requests fail). */
  close(): void {
    for (const provider of this.#providers.values()) provider.destroy();
    this.#providers.clear();
  }

  #provider(ethers: Ethers, chain: ChainEndpoint): JsonRpcProvider {
    const id = `${chain.chainId}@${chain.rpcUrl}`;
    let provider = this.#providers.get(id);
    if (!provider) {
      const request = new ethers.FetchRequest(chain.rpcUrl);
      request.timeout = this.timeoutMs;
      // The store caches answers; ethers' own 250 ms request cache would only blur a permission removal.
      provider = new ethers.JsonRpcProvider(request, ethers.Network.from(chain.chainId), { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
      this.#providers.set(id, provider);
    }
    return provider;
  }
}
