import { ConfigError } from '@sigil/service-kit';
import type { IdopteBridgeConfig } from '../config.js';

/** The three files Idopte needs, as configured (the service key may be a `pkcs11:` URI instead of a file). */
export interface IdopteFiles {
  readonly publicKeys: string;
  readonly serviceKey: string;
  readonly serviceCert: string;
}

const SETTINGS = [
  ['IDOPTE_PUBLIC_KEYS', 'idoptePublicKeys'],
  ['IDOPTE_SERVICE_KEY', 'idopteServiceKey'],
  ['IDOPTE_SERVICE_CERT', 'idopteServiceCert'],
] as const;

const verb = (count: number) => (count > 1 ? 'are' : 'is');

/**
 * The Idopte files, or undefined when none is configured (Idopte is optional:
 * every command then answers `not_available`). Some without the others is a
 * mistake that would answer `not_available` forever, so it stops start-up
 * with one line naming what is missing.
 */
export function idopteFilesOf(config: IdopteBridgeConfig): IdopteFiles | undefined {
  const { idoptePublicKeys: publicKeys, idopteServiceKey: serviceKey, idopteServiceCert: serviceCert } = config;
  if (publicKeys !== undefined && serviceKey !== undefined && serviceCert !== undefined) return { publicKeys, serviceKey, serviceCert };
  const given = SETTINGS.filter(([, name]) => config[name] !== undefined).map(([env]) => env);
  if (given.length === 0) return undefined;
  const missing = SETTINGS.filter(([, name]) => config[name] === undefined).map(([env]) => env);
  throw new ConfigError(
    missing.join(', '),
    `${verb(missing.length)} required when ${given.join(' and ')} ${verb(given.length)} set (Idopte needs all three)`,
  );
}
