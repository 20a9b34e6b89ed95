import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { computeAddress, hexlify } from 'ethers';
import type { Logger } from '@sigil/service-kit';
import { DEFAULT_REFRESH_TTL_SECONDS, DEFAULT_TOKEN_TTL_SECONDS, parseApps, type AppEntry } from './apps-file.js';
import { readOrCreateFile } from './keys-dir.js';

/** The chain `pnpm --filter @sigil/ip-service chain` serves, which the demo app points at. */
export const DEMO_RPC_URL = 'http://127.0.0.1:8545';
export const DEMO_CHAIN_ID = 31337;

/**
 * Development only: one demo app, generated once into `<keysDir>/apps.json`
 * (a random profile address and controller key) and printed, so the service
 * can be tried without writing an apps file.
 */
export function developmentApps(keysDir: string, logger: Logger): AppEntry[] {
  const path = join(keysDir, 'apps.json');
  const { content, created } = readOrCreateFile(path, () => `${JSON.stringify([demoApp()], null, 2)}\n`);
  const apps = parseApps(content, path);
  for (const app of apps) {
    logger.info(
      {
        path,
        appERC725Address: app.appERC725Address,
        controllerKeyOfApp: app.controllerPrivateKey === undefined ? undefined : computeAddress(`0x${app.controllerPrivateKey.replace(/^0x/, '')}`),
        audiences: app.audiences,
        rpcUrl: app.rpcUrl,
      },
      created ? 'generated a demo app (IP_APPS_FILE is not set)' : 'using the demo app (IP_APPS_FILE is not set)',
    );
  }
  return apps;
}

function demoApp(): AppEntry {
  return {
    appERC725Address: computeAddress(hexlify(randomBytes(32))),
    controllerPrivateKey: hexlify(randomBytes(32)),
    audiences: ['http://localhost:4001', 'https://resource.example'],
    rpcUrl: DEMO_RPC_URL,
    chainId: DEMO_CHAIN_ID,
    tokenTtlSeconds: DEFAULT_TOKEN_TTL_SECONDS,
    refreshTtlSeconds: DEFAULT_REFRESH_TTL_SECONDS,
  };
}
