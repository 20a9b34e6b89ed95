import { errors, type Adapter, type AdapterFactory, type AdapterPayload, type Provider } from 'oidc-provider';
import { createOidcAdapterFactory, OidcPayloadAlreadyConsumed, type OidcAdapter, type OidcPayload, type Store } from '@sigil/store';

const LABELS: Record<string, string> = {
  AuthorizationCode: 'authorization code',
  RefreshToken: 'refresh token',
  DeviceCode: 'device code',
  BackchannelAuthenticationRequest: 'backchannel authentication request',
};

/**
 * oidc-provider's adapter on the service's store (every model in Redis when
 * REDIS_URL is set), with the store adapter's atomic conflicts turned into
 * the OAuth errors oidc-provider would give had it seen them itself: a code
 * or refresh token consumed by a concurrent request is `invalid_grant`, and
 * its whole grant is revoked (RFC 6749 §4.1.2, OAuth 2.1 §4.3.1), as for any
 * other reuse; a pushed request used twice is `invalid_request_uri`.
 * `stored` gives the store's adapters behind them.
 */
export function oidcStorage(store: Store): { adapter: AdapterFactory; stored: (model: string) => OidcAdapter } {
  // Access tokens are looked up on every request that carries one, and each
  // lookup of a session-bound token reads its session too.
  const base = createOidcAdapterFactory(store, { nearCachedModels: ['AccessToken', 'Session'] });
  const revokeGrant = async (grantId: string) => {
    await Promise.all([base('AccessToken').revokeByGrantId(grantId), base('Grant').destroy(grantId)]);
  };
  const adapter: AdapterFactory = (model: string): Adapter => {
    const stored = base(model);
    return {
      upsert: (id, payload, expiresIn) => stored.upsert(id, payload as OidcPayload, expiresIn),
      find: (id) => stored.find(id) as Promise<AdapterPayload | undefined>,
      findByUid: (uid) => stored.findByUid(uid) as Promise<AdapterPayload | undefined>,
      findByUserCode: (userCode) => stored.findByUserCode(userCode) as Promise<AdapterPayload | undefined>,
      destroy: (id) => stored.destroy(id),
      revokeByGrantId: (grantId) => stored.revokeByGrantId(grantId),
      consume: async (id) => {
        try {
          await stored.consume(id);
        } catch (error) {
          if (!(error instanceof OidcPayloadAlreadyConsumed)) throw error;
          if (error.grantId !== undefined) await revokeGrant(error.grantId);
          if (model === 'PushedAuthorizationRequest') throw new errors.InvalidRequestUri('request_uri was already used');
          throw new errors.InvalidGrant(`${LABELS[model] ?? model} was already used`);
        }
      },
    };
  };
  // `stored` gives the store's own adapters (the same instances), for what oidc-provider's interface lacks.
  return { adapter, stored: base };
}

interface ReplayDetectionModel {
  unique(iss: string, jti: string, exp: number): Promise<boolean>;
}

/** The `jti` of the request's DPoP proof (already verified by oidc-provider when replay is checked). */
function dpopProofJti(provider: Provider): string | undefined {
  const ctx = (provider.constructor as unknown as { ctx?: { get(name: string): string; oidc?: { route?: string } } }).ctx;
  const proof = ctx?.get('DPoP');
  if (!proof) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(proof.split('.')[1] ?? '', 'base64url').toString('utf8')) as { jti?: unknown };
    return typeof claims.jti === 'string' ? claims.jti : undefined;
  } catch {
    return undefined;
  }
}

/**
 * oidc-provider checks a DPoP proof's (and a client assertion's) `jti` by
 * finding it and, when absent, saving it: two replicas can both find nothing.
 * The adapter saves replay marks create-only, so the second save fails; this
 * turns that failure into the answer `unique` gives for a replay (false), so
 * that oidc-provider rejects the request with its usual error. A replayed
 * DPoP proof at the token endpoint is `invalid_dpop_proof` (RFC 9449 §5.2),
 * where oidc-provider would say `invalid_grant`.
 */
export function makeReplayDetectionAtomic(provider: Provider): void {
  const model = (provider as unknown as { ReplayDetection: ReplayDetectionModel }).ReplayDetection;
  const unique = model.unique;
  Object.defineProperty(model, 'unique', {
    configurable: true,
    writable: true,
    value: async function atomicUnique(this: ReplayDetectionModel, iss: string, jti: string, exp: number): Promise<boolean> {
      let first: boolean;
      try {
        first = await unique.call(this, iss, jti, exp);
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'OIDC_PAYLOAD_REPLAYED') throw error;
        first = false;
      }
      if (!first && dpopProofJti(provider) === jti) throw new errors.InvalidDpopProof('DPoP proof JWT replay detected');
      return first;
    },
  });
}
