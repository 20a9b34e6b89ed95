import { Router } from 'express';
import { createServiceApp, type BuiltService, type ServiceDependencies } from '@sigil/service-kit';
import { RemoteJwks } from '@sigil/tokens';
import type { DavStorageConfig } from './config.js';
import { davHandler } from './http/dav-handler.js';
import { requireInternalToken } from './http/internal-identity.js';
import { resolveRepoPath } from './repo-path.js';
import { HomeServers } from './webdav/home-servers.js';

/** Builds the dav-storage app from its dependencies; tests call this through `startService`. */
export function buildApp(deps: ServiceDependencies, config: DavStorageConfig): BuiltService {
  const dataDir = resolveRepoPath(config.dataDir);
  const servers = new HomeServers(dataDir);
  const proxyKeys = new RemoteJwks(config.proxyJwksUrl);
  const authenticate = requireInternalToken(proxyKeys, { issuer: config.tokenIssuer, audience: config.tokenAudience });
  const serve = davHandler(servers, config.mountPath, config.maxRequestBodyBytes);
  const underMount = (path: string) => path === config.mountPath || path.startsWith(`${config.mountPath}/`);
  const { app } = createServiceApp({
    ...deps,
    routes: (router) => {
      // Every method (PROPFIND, MKCOL, LOCK, …) under the mount; express's method routing knows only some of them.
      const dav = Router();
      dav.use(authenticate, serve);
      router.use((req, res, next) => (underMount(req.path) ? dav(req, res, next) : next()));
    },
  });
  deps.logger.info({ dataDir, mountPath: config.mountPath }, 'serving homes');
  return { app };
}
