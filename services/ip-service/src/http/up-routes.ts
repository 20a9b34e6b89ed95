import type { IncomingMessage } from 'node:http';
import { isJsonContentType, readBody, sendJson, type DirectRoute } from '@sigil/service-kit';
import type { RotatingKeySet } from '@sigil/tokens';
import { invalidField } from '../domain/up-error.js';
import { requestBody, tokenField, type RequestBody } from '../domain/request-fields.js';
import { parseSignRequest } from '../domain/sign-request.js';
import { parseTokenRequest } from '../domain/token-request.js';
import type { AppSigning } from '../session/app-signing.js';
import type { RefreshExchange } from '../session/refresh-exchange.js';
import type { SignIn } from '../session/sign-in.js';
import type { TokenVerification } from '../session/token-verification.js';
import { discoveryRoute, jwksRoute } from './discovery-routes.js';
import { asUpProblem } from './up-problem.js';
import { UP_PATHS } from './up-paths.js';

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
const BODY_LIMIT = 32 * 1024;

/** The request's JSON object; anything else is `invalid-request` naming `body`. */
async function readRequestBody(req: IncomingMessage): Promise<RequestBody> {
  const bytes = await readBody(req, BODY_LIMIT);
  if (!isJsonContentType(req.headers['content-type'])) throw invalidField('body', 'must be a JSON object (Content-Type: application/json)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalidField('body', 'is not valid JSON');
  }
  return requestBody(parsed);
}

/**
 * A `POST` endpoint: the JSON body in, the session's answer out, never
 * cached (RFC 6749 §5.1); a refusal becomes the ip-service's problem.
 */
function postEndpoint(path: string, answer: (body: RequestBody) => Promise<unknown>): DirectRoute {
  return {
    method: 'POST',
    path,
    async handle(req, res) {
      try {
        const response = await answer(await readRequestBody(req));
        res.setHeader('cache-control', 'no-store');
        sendJson(res, response);
      } catch (error) {
        throw asUpProblem(error);
      }
    },
  };
}

/**
 * The route table of the ip-service. Every endpoint is a direct route: the
 * service is a handful of JSON endpoints whose rate is its figure of merit.
 */
export function upRoutes(deps: UpRouteDependencies): DirectRoute[] {
  return [
    // Seed, "1 Request Signing".
    postEndpoint(UP_PATHS.sign, (body) => deps.signing.sign(parseSignRequest(body))),
    // Seed, "2 Request Token".
    postEndpoint(UP_PATHS.token, (body) => deps.signIn.exchange(parseTokenRequest(body))),
    // Seed, "4 Verify Token": `{token}` → `{erc725Address, erc725ControllerKey}`.
    postEndpoint(UP_PATHS.verify, async (body) => {
      const identity = await deps.verification.verify(tokenField(body, 'token'));
      return { erc725Address: identity.erc725Address, erc725ControllerKey: identity.erc725ControllerKey };
    }),
    // `{refreshToken}` → a new `/up/token` answer (the refresh token rotated).
    postEndpoint(UP_PATHS.refresh, (body) => deps.refresh.refresh(tokenField(body, 'refreshToken'))),
    // `{refreshToken}` → 200 `{}`, known token or not (as RFC 7009 §2.2 answers).
    postEndpoint(UP_PATHS.revoke, async (body) => {
      await deps.refresh.revoke(tokenField(body, 'refreshToken'));
      return {};
    }),
    discoveryRoute(deps.issuer, deps.keysMaxAgeSeconds),
    jwksRoute(deps.keys, deps.keysMaxAgeSeconds),
  ];
}
