import type { Express } from 'express';
import { jsonBody } from '@sigil/service-kit';
import type { RotatingKeySet } from '@sigil/tokens';
import type { AppSigning } from '../session/app-signing.js';
import type { RefreshExchange } from '../session/refresh-exchange.js';
import type { SignIn } from '../session/sign-in.js';
import type { TokenVerification } from '../session/token-verification.js';
import { discoveryHandler, jwksHandler } from './discovery-handlers.js';
import { refreshHandler, revokeHandler } from './refresh-handler.js';
import { signHandler } from './sign-handler.js';
import { tokenHandler } from './token-handler.js';
import { UP_PATHS } from './up-paths.js';
import { verifyHandler } from './verify-handler.js';

export interface UpRouteDependencies {
  readonly issuer: string;
  readonly keys: RotatingKeySet;
  readonly keysMaxAgeSeconds: number;
  readonly signing: AppSigning;
  readonly signIn: SignIn;
  readonly verification: TokenVerification;
  readonly refresh: RefreshExchange;
}

/** Bodies are small JSON objects; anything larger is refused before it is parsed. */
const BODY_LIMIT = '32kb';

/** The route table of the ip-service. */
export function upRoutes(deps: UpRouteDependencies): (app: Express) => void {
  return (app) => {
    const json = jsonBody(BODY_LIMIT);
    app.post(UP_PATHS.sign, json, signHandler(deps.signing));
    app.post(UP_PATHS.token, json, tokenHandler(deps.signIn));
    app.post(UP_PATHS.verify, json, verifyHandler(deps.verification));
    app.post(UP_PATHS.refresh, json, refreshHandler(deps.refresh));
    app.post(UP_PATHS.revoke, json, revokeHandler(deps.refresh));
    app.get(UP_PATHS.discovery, discoveryHandler(deps.issuer, deps.keysMaxAgeSeconds));
    app.get(UP_PATHS.jwks, jwksHandler(deps.keys, deps.keysMaxAgeSeconds));
  };
}
