import { randomBytes } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type Provider from 'oidc-provider';
import type { Account } from '../domain/account.js';
import { clientIdUri, DEVICE_ID_PATTERN } from '../domain/wire-identity.js';
import { WireTokenError } from '../domain/wire-token-error.js';
import type { BackendKeys } from '../setup/wire-backend-keys.js';
import type { AccountStore } from '../store/account-store.js';
import type { DeviceNonces, DeviceStore } from '../store/device-store.js';
import type { DeviceAccessTokenIssuer } from '../wire/device-access-token-issuer.js';
import { routeParam } from './route-param.js';
import { accountIdOfAccessToken, activeAccount, userOfAccessToken } from './user-access-token.js';
import { WireBackendError, wireBackendErrorHandler } from './wire-backend-error.js';

export interface DeviceRouteDependencies {
  readonly provider: Provider;
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
function allowCors(res: Response): void {
  res.setHeader('access-control-allow-origin', '*');
  res.setHeader('access-control-expose-headers', 'Replay-Nonce');
}

/**
 * The Wire backend's device endpoints: register and list a user's devices,
 * hand out a device's backend nonce, and exchange a DPoP proof for a device
 * access token. Errors are `{code, label, message}`.
 */
export function deviceRoutes(deps: DeviceRouteDependencies): Router {
  const router = Router();
  const user = (req: Request) => userOfAccessToken(req, deps.provider, deps.accounts, deps.publicUrl);
  /** The `:cid` of the path when it is a client id; '' otherwise (then it names nothing). */
  const deviceIdParam = (req: Request): string => {
    const deviceId = routeParam(req, 'cid');
    return DEVICE_ID_PATTERN.test(deviceId) ? deviceId : '';
  };
  const deviceOf = async (req: Request, account: Account): Promise<string> => {
    const deviceId = deviceIdParam(req);
    if (deviceId === '' || (await deps.devices.find(account.id, deviceId)) === undefined) {
      throw new WireBackendError(404, 'client-not-found', 'the user has no device with this id');
    }
    return deviceId;
  };

  router.get(BACKEND_JWKS_PATH, (_req, res) => {
    res.setHeader('cache-control', 'public, max-age=300');
    res.json(deps.backendKeys.jwks());
  });

  router.post('/clients', async (req, res) => {
    const account = await user(req);
    const device = await deps.devices.register(account.id);
    res.status(201).json({ id: device.id, client_id: clientIdUri(account.id, device.id, deps.domain), created_at: device.createdAt });
  });

  router.get('/clients', async (req, res) => {
    const account = await user(req);
    const devices = await deps.devices.list(account.id);
    res.setHeader('cache-control', 'no-store');
    res.json({ clients: devices.map((device) => ({ id: device.id, client_id: clientIdUri(account.id, device.id, deps.domain), created_at: device.createdAt })) });
  });

  router.options(['/clients/:cid/nonce', '/clients/:cid/access-token'], (_req, res) => {
    allowCors(res);
    res.setHeader('access-control-allow-methods', 'GET, HEAD, POST');
    res.setHeader('access-control-allow-headers', 'Authorization, DPoP, Content-Type');
    res.setHeader('access-control-max-age', '600');
    res.status(204).end();
  });

  // A fresh nonce replaces the device's previous one; HEAD answers 200, GET 204.
  const nonce = async (req: Request, res: Response, status: number) => {
    const account = await user(req);
    const deviceId = await deviceOf(req, account);
    const value = randomBytes(16).toString('base64url');
    await deps.nonces.put(account.id, deviceId, value);
    allowCors(res);
    res.setHeader('replay-nonce', value);
    res.setHeader('cache-control', 'no-store');
    res.status(status).end();
  };
  router.head('/clients/:cid/nonce', (req, res) => nonce(req, res, 200));
  router.get('/clients/:cid/nonce', (req, res) => nonce(req, res, 204));

  router.post('/clients/:cid/access-token', async (req, res) => {
    // The account, the device and its nonce are read together: one round trip to the store.
    const accountId = await accountIdOfAccessToken(req, deps.provider, deps.publicUrl);
    const requested = deviceIdParam(req);
    const [found, device, stored] = await Promise.all([
      deps.accounts.findById(accountId),
      requested === '' ? undefined : deps.devices.find(accountId, requested),
      requested === '' ? null : deps.nonces.peek(accountId, requested),
    ]);
    const account = activeAccount(found, deps.publicUrl);
    if (device === undefined) throw new WireBackendError(404, 'client-not-found', 'the user has no device with this id');
    const deviceId = device.id;
    const proofs = req.headers.dpop;
    // RFC 9449 §4.3 check 1: exactly one DPoP header.
    if (proofs === undefined || proofs === '') throw new WireTokenError('client-token-missing-proof', 'the DPoP header is missing');
    if (Array.isArray(proofs) || proofs.includes(',')) throw new WireTokenError('client-token-bad-proof', 'more than one DPoP header');
    const issued = await deps.issuer.issue(account, deviceId, proofs, stored);
    allowCors(res);
    res.setHeader('cache-control', 'no-store');
    res.json({ token: issued.token, type: 'DPoP', expires_in: issued.expiresIn });
  });

  router.use(wireBackendErrorHandler());
  return router;
}
