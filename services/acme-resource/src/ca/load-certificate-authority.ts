import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@sigil/service-kit';
import type { Logger } from '@sigil/service-kit';
import type { CaChain } from './ca-chain.js';
import { loadOrCreateDevelopmentCa } from './development-ca.js';
import { loadCaChain } from './load-ca-chain.js';

export interface CaSettings {
  readonly rootCertificate?: string | undefined;
  readonly intermediateCertificate?: string | undefined;
  readonly intermediateKey?: string | undefined;
  readonly caDir?: string | undefined;
  readonly production: boolean;
}

/**
 * The CA chain from settings: all three of root certificate, intermediate
 * certificate and intermediate key, or none. None in production stops
 * start-up; none in development loads (or generates once) the development CA.
 */
export async function loadCertificateAuthorityChain(settings: CaSettings, logger: Logger): Promise<CaChain> {
  const given = {
    ACME_ROOT_CERTIFICATE: settings.rootCertificate,
    ACME_INTERMEDIATE_CERTIFICATE: settings.intermediateCertificate,
    ACME_INTERMEDIATE_KEY: settings.intermediateKey,
  };
  const missing = Object.entries(given).filter(([, value]) => value === undefined);
  if (missing.length === 0) {
    return loadCaChain({
      rootCertificate: settings.rootCertificate!,
      intermediateCertificate: settings.intermediateCertificate!,
      intermediateKey: settings.intermediateKey!,
    });
  }
  if (missing.length < 3) throw new ConfigError(missing[0]![0], 'is required when any CA setting is given (root certificate, intermediate certificate and key go together)');
  if (settings.production) throw new ConfigError('ACME_INTERMEDIATE_KEY', 'is required when NODE_ENV=production (with ACME_INTERMEDIATE_CERTIFICATE and ACME_ROOT_CERTIFICATE)');
  const directory = developmentCaDirectory(settings.caDir);
  const { chain, created } = await loadOrCreateDevelopmentCa(directory);
  if (created) logger.warn({ directory }, 'generated a development CA (root and intermediate); set ACME_INTERMEDIATE_KEY and the certificates for production');
  else logger.info({ directory }, 'using the development CA');
  return chain;
}

/** Where the development CA lives: `ACME_CA_DIR`, or `<repo>/.sigil/acme-resource`. */
export function developmentCaDirectory(caDir: string | undefined): string {
  return caDir ?? join(repositoryRoot(), '.sigil', 'acme-resource');
}

/** The monorepo root: the nearest directory above this file that holds pnpm-workspace.yaml. */
function repositoryRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'pnpm-workspace.yaml'))) {
    const parent = dirname(directory);
    if (parent === directory) return process.cwd();
    directory = parent;
  }
  return directory;
}
