import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, type DirectRoute, type RequestScope } from '@sigil/service-kit';
import type { Account } from '../domain/account.js';
import type { AccessTokenOwners } from '../oidc/access-token-owners.js';
import { clientIdUri, DEVICE_ID_PATTERN } from '../domain/wire-identity.js';
import { WireTokenError } from '../domain/wire-token-error.js';
import type { BackendKeys } from '../setup/wire-backend-keys.js';
import type { AccountStore } from '../store/account-store.js';
import type { DeviceNonces, DeviceStore } from '../store/device-store.js';
import type { DeviceAccessTokenIssuer } from '../wire/device-access-token-issuer.js';
import { accountIdOfAccessToken, activeAccount, userOfAccessToken } from './user-access-token.js';
import { answerWireBackendError, WireBackendError } from './wire-backend-error.js';

export interface DeviceRouteDependencies {
  readonly owners: AccessTokenOwners;
  readonly accounts: AccountStore;
  readonly devices: DeviceStore;
  readonly nonces: DeviceNonces;
  readonly issuer: DeviceAccessTokenIssuer;
  readonly backendKeys: BackendKeys;
  readonly publicUrl: string;
  readonly domain: string;
}

/** Where the backend's public access-token keys are published (JWKS, RFC 7517 §5). */
export const BACKEND_JWKS_PATH = '/wire/jwks';

/** Browsers may call the device endpoints from any origin (they carry a Bearer token, never a cookie) and read the nonce. */
function allowCors(res: ServerResponse): void {
  res.setHeader('access-control-allow-origin', '*');
  res.setHeader('access-control-expose-headers', 'Replay-Nonce');
}

type DeviceHandler = (req: IncomingMessage, res: ServerResponse, scope: RequestScope) => Promise<void> | void;

/** A device endpoint: its refusals are written as `{code, label, message}`, anything else goes on to the service. */
function endpoint(method: string, path: string, handle: DeviceHandler): DirectRoute {
  return {
    method,
    path,
    async handle(req, res, scope) {
      try {
        await handle(req, res, scope);
      } catch (error) {
        if (!answerWireBackendError(error, res)) throw error;
      }
    },
  };
}

/**
 * The Wire backend's device endpoints: register and list a user's devices,
 * hand out a device's backend nonce, and exchange a DPoP proof for a device
 * access token. Errors are `{code, label, message}`. They are direct routes:
 * a device asks for a nonce and a token every time it enrolls or renews.
 */
export function deviceRoutes(deps: DeviceRouteDependencies): DirectRoute[] {
  const user = (req: IncomingMessage) => userOfAccessToken(req, deps.owners, deps.accounts, deps.publicUrl);
  /** The `:cid` of the path when it is a client id; '' otherwise (then it names nothing). */
  const deviceIdParam = (scope: RequestScope): string => {
    const deviceId = scope.params.cid ?? '';
    return DEVICE_ID_PATTERN.test(deviceId) ? deviceId : '';
  };
  const deviceOf = async (scope: RequestScope, account: Account): Promise<string> => {
    const deviceId = deviceIdParam(scope);
    if (deviceId === '' || (await deps.devices.find(account.id, deviceId)) === undefined) {
      throw new WireBackendError(404, 'client-not-found', 'the user has no device with this id');
    }
    return deviceId;
  };
  const describe = (account: Account, device: { id: string; createdAt: string }) => ({
    id: device.id,
    client_id: clientIdUri(account.id, device.id, deps.domain),
    created_at: device.createdAt,
  });

  // A fresh nonce replaces the device's previous one; HEAD answers 200, GET 204.
  const nonce = (status: number): DeviceHandler => async (req, res, scope) => {
    const account = await user(req);
    const deviceId = await deviceOf(scope, account);
    const value = randomBytes(16).toString('base64url');
    await deps.nonces.put(account.id, deviceId, value);
    allowCors(res);
    res.setHeader('replay-nonce', value);
    res.setHeader('cache-control', 'no-store');
    res.statusCode = status;
    res.end();
  };

  const preflight: DeviceHandler = (_req, res) => {
    allowCors(res);
    res.setHeader('access-control-allow-methods', 'GET, HEAD, POST');
    res.setHeader('access-control-allow-headers', 'Authorization, DPoP, Content-Type');
    res.setHeader('access-control-max-age', '600');
    res.statusCode = 204;
    res.end();
  };

  return [
    endpoint('GET', BACKEND_JWKS_PATH, (_req, res) => {
      res.setHeader('cache-control', 'public, max-age=300');
      sendJson(res, deps.backendKeys.jwks());
    }),
    endpoint('POST', '/clients', async (req, res) => {
      const account = await user(req);
      sendJson(res, describe(account, await deps.devices.register(account.id)), 201);
    }),
    endpoint('GET', '/clients', async (req, res) => {
      const account = await user(req);
      const devices = await deps.devices.list(account.id);
      res.setHeader('cache-control', 'no-store');
      sendJson(res, { clients: devices.map((device) => describe(account, device)) });
    }),
    endpoint('OPTIONS', '/clients/:cid/nonce', preflight),
    endpoint('OPTIONS', '/clients/:cid/access-token', preflight),
    endpoint('HEAD', '/clients/:cid/nonce', nonce(200)),
    endpoint('GET', '/clients/:cid/nonce', nonce(204)),
    endpoint('POST', '/clients/:cid/access-token', async (req, res, scope) => {
      const accountId = await accountIdOfAccessToken(req, deps.owners, deps.publicUrl);
      const requested = deviceIdParam(scope);
      const [found, device] = await Promise.all([deps.accounts.findById(accountId), requested === '' ? undefined : deps.devices.find(accountId, requested)]);
      const account = activeAccount(found, deps.publicUrl);
      if (device === undefined) throw new WireBackendError(404, 'client-not-found', 'the user has no device with this id');
      const proofs = req.headers.dpop;
      // RFC 9449 §4.3 check 1: exactly one DPoP header.
      if (proofs === undefined || proofs === '') throw new WireTokenError('client-token-missing-proof', 'the DPoP header is missing');
      if (Array.isArray(proofs) || proofs.includes(',')) throw new WireTokenError('client-token-bad-proof', 'more than one DPoP header');
      const issued = await deps.issuer.issue(account, device.id, proofs);
      allowCors(res);
      res.setHeader('cache-control', 'no-store');
      sendJson(res, { token: issued.token, type: 'DPoP', expires_in: issued.expiresIn });
    }),
  ];
}
