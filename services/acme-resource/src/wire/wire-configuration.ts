import type { Logger } from '@sigil/service-kit';
import { ConfigError } from '@sigil/service-kit';
import type { Store } from '@sigil/store';
import { RemoteJwks } from '@sigil/tokens';
import type { CaChain } from '../ca/ca-chain.js';
import { CertificateAuthority } from '../ca/certificate-authority.js';
import { loadWireIssuingChain } from '../ca/wire-issuing-chain.js';
import type { AcmeResourceConfig } from '../config.js';
import type { WireTargets } from '../domain/challenges/wire-challenge-target.js';
import type { ChallengeValidator } from '../va/challenge-validators.js';
import { wireDpopValidator } from '../va/wire-dpop-validator.js';
import { wireOidcValidator } from '../va/wire-oidc-validator.js';

/** Where the Wire intermediate's certificate is served (the `up` link of Wire certificates). */
export const WIRE_INTERMEDIATE_PATH = '/ca/wire-intermediate';

/** Where the Wire intermediate's CRL is served (the distribution point of Wire certificates). */
export const WIRE_CRL_PATH = '/crl/wire';

/** Everything Wire device identity adds to the CA, when `ACME_WIRE_DOMAIN` is set. */
export interface WireIssuance {
  readonly domain: string;
  readonly targets: WireTargets;
  readonly validators: readonly ChallengeValidator[];
  /** Issues Wire certificates from the name-constrained intermediate. */
  readonly ca: CertificateAuthority;
  readonly intermediateUrl: string;
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new ConfigError(name, 'is required when ACME_WIRE_DOMAIN is set');
  return value;
}

export async function loadWireIssuance(
  config: AcmeResourceConfig,
  deps: { readonly chain: CaChain; readonly store: Store; readonly logger: Logger; readonly publicUrl: string; readonly production: boolean },
): Promise<WireIssuance | undefined> {
  const domain = config.wireDomain;
  if (domain === undefined) return undefined;
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(domain)) {
    throw new ConfigError('ACME_WIRE_DOMAIN', 'must be a lowercase domain name');
  }
  const backendUrl = required(config.wireBackendUrl, 'ACME_WIRE_BACKEND_URL');
  const oidcIssuer = required(config.wireOidcIssuer, 'ACME_WIRE_OIDC_ISSUER');
  const clientId = required(config.wireOidcClientId, 'ACME_WIRE_OIDC_CLIENT_ID');
  const chain = await loadWireIssuingChain(
    { certificate: config.wireIntermediateCertificate, key: config.wireIntermediateKey, domain, caDir: config.caDir, production: deps.production },
    deps.chain,
    deps.logger,
  );
  const intermediateUrl = deps.publicUrl + WIRE_INTERMEDIATE_PATH;
  return {
    domain,
    targets: { backendUrl, oidcIssuer },
    validators: [
      wireDpopValidator({ backendKeys: new RemoteJwks(config.wireBackendJwksUrl ?? `${backendUrl}/wire/jwks`), replay: deps.store }),
      wireOidcValidator({
        issuer: oidcIssuer,
        issuerKeys: new RemoteJwks(config.wireOidcJwksUrl ?? `${oidcIssuer}/jwks`),
        clientId,
        algorithms: ['RS256', 'PS256', 'ES256', 'ES384', 'ES512', 'EdDSA'],
      }),
    ],
    ca: new CertificateAuthority(chain, { issuer: intermediateUrl, crl: deps.publicUrl + WIRE_CRL_PATH }),
    intermediateUrl,
  };
}
