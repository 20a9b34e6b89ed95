import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import edr from '@nomicfoundation/edr';

/** An in-process, offline EVM served over Ethereum JSON-RPC on a loopback port, as a node would serve it. */
export interface LocalChain {
  readonly url: string;
  readonly chainId: number;
  /** The JSON-RPC server (to observe the requests it serves). */
  readonly server: Server;
  close(): Promise<void>;
}

interface JsonRpcRequest {
  readonly id?: unknown;
  readonly [member: string]: unknown;
}

let context: edr.EdrContext | undefined;

/** EDR wants one context per process; its L1 factory is registered once. */
async function edrContext(): Promise<edr.EdrContext> {
  if (!context) {
    context = new edr.EdrContext();
    await context.registerProviderFactory(edr.L1_CHAIN_TYPE, edr.l1ProviderFactory());
  }
  return context;
}

/**
 * Starts a chain (Hardhat's EDR, Prague rules, automine) whose genesis funds
 * `fundedAccounts`, and serves it at `http://127.0.0.1:<port>` (`port` 0: any).
 */
export async function startLocalChain(options: { fundedAccounts: readonly string[]; chainId?: number; port?: number }): Promise<LocalChain> {
  const chainId = options.chainId ?? 31337;
  const hardfork = edr.L1Hardfork.Prague;
  const genesisState = [
    ...edr.l1GenesisState(hardfork),
    ...options.fundedAccounts.map((address) => ({ address: Buffer.from(address.slice(2), 'hex'), balance: 10n ** 24n })),
  ];
  const provider = await (await edrContext()).createProvider(
    edr.L1_CHAIN_TYPE,
    {
      allowBlocksWithSameTimestamp: true,
      allowUnlimitedContractSize: false,
      bailOnCallFailure: false,
      bailOnTransactionFailure: false,
      chainId: BigInt(chainId),
      coinbase: new Uint8Array(20),
      defaultTransactionGasLimit: 16_000_000n,
      genesisState,
      hardfork: edr.l1HardforkToString(hardfork),
      initialBaseFeePerGas: 1_000_000_000n,
      minGasPrice: 0n,
      mining: { autoMine: true, memPool: { order: edr.MineOrdering.Priority } },
      network: { genesisBlockGasLimit: 30_000_000n },
      networkId: BigInt(chainId),
      observability: {},
      ownedAccounts: [],
      precompileOverrides: [],
    },
    { enable: false, decodeConsoleLogInputsCallback: () => [], printLineCallback: () => {} },
    { subscriptionCallback: () => {} },
    new edr.ContractDecoder(),
  );

  const answer = async (request: JsonRpcRequest) => {
    const response = await provider.handleRequest(JSON.stringify(request));
    const data: unknown = typeof response.data === 'string' ? JSON.parse(response.data) : response.data;
    return { jsonrpc: '2.0', id: request.id ?? null, ...(data as object) };
  };
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      void (async () => {
        try {
          const parsed = JSON.parse(body) as JsonRpcRequest | JsonRpcRequest[];
          const result = Array.isArray(parsed) ? await Promise.all(parsed.map(answer)) : await answer(parsed);
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(result));
        } catch {
          res.statusCode = 400;
          res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } }));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    chainId,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
