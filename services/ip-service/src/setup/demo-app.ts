import { createECDH, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ethereumAddress } from '@sigil/crypto';
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
        controllerKeyOfApp: app.controllerPrivateKey === undefined ? undefined : controllerAddress(app.controllerPrivateKey),
        audiences: app.audiences,
        rpcUrl: app.rpcUrl,
      },
      created ? 'generated a demo app (IP_APPS_FILE is not set)' : 'using the demo app (IP_APPS_FILE is not set)',
    );
  }
  return apps;
}

/** The address of a secp256k1 private key given as hex (with or without 0x). */
function controllerAddress(privateKeyHex: string): string {
  const ecdh = createECDH('secp256k1');
  ecdh.setPrivateKey(Buffer.from(privateKeyHex.replace(/^0x/, ''), 'hex'));
  return ethereumAddress(ecdh.getPublicKey());
}

function demoApp(): AppEntry {
  const controllerPrivateKey = `0x${randomBytes(32).toString('hex')}`;
  return {
    appERC725Address: controllerAddress(`0x${randomBytes(32).toString('hex')}`),
    controllerPrivateKey,
    audiences: ['http://localhost:4001', 'https://resource.example'],
    rpcUrl: DEMO_RPC_URL,
    chainId: DEMO_CHAIN_ID,
    tokenTtlSeconds: DEFAULT_TOKEN_TTL_SECONDS,
    refreshTtlSeconds: DEFAULT_REFRESH_TTL_SECONDS,
  };
}
