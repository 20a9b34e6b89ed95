import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { signerFromKeyObject } from '@sigil/crypto';
import { fixtureKey, startHttp, type RunningServer } from '@sigil/testkit';
import { RotatingKeySet, TokenError, verifyJwt } from '@sigil/tokens';

export interface UserClaims {
  sub: string;
  preferred_username?: string;
  name?: string;
  email?: string;
  groups?: string[];
  roles?: string[];
}

export interface JwtOptions {
  audience: string;
  expiresInSeconds?: number;
  scope?: string;
  /** Claim another issuer (a token this IdP signs but the proxy must not trust). */
  issuer?: string;
}

/**
 * A minimal OpenID provider for tests: discovery, JWKS, userinfo, and a
 * test-only way to mint JWT access tokens (RFC 9068, `at+jwt`) and opaque
 * ones. It counts userinfo calls, and can be made to fail (`down`: 500s) or
 * be slow, to test the proxy's behaviour when its IdP misbehaves.
 */
export class StandInIdp {
  userinfoCalls = 0;
  /** `up`, `down` (answers 500), or `slow` (waits `slowMs` first). */
  mode: 'up' | 'down' | 'slow' = 'up';
  slowMs = 1_000;
  readonly users = new Map<string, UserClaims>();
  readonly #opaque = new Map<string, { sub: string; exp: number }>();
  readonly #revoked = new Set<string>();
  readonly #keys = new RotatingKeySet({ current: signerFromKeyObject(fixtureKey('P-256', 'stand-in-idp').privateKey), maxTokenLifetimeSeconds: 3600 });
  #server!: RunningServer;

  static async start(): Promise<StandInIdp> {
    const idp = new StandInIdp();
    idp.#server = await startHttp((req, res) => {
      idp.#handle(req, res).catch(() => {
        res.statusCode = 500;
        res.end();
      });
    });
    return idp;
  }

  get issuer(): string {
    return this.#server.url;
  }

  addUser(claims: UserClaims): UserClaims {
    this.users.set(claims.sub, claims);
    return claims;
  }

  jwt(sub: string, options: JwtOptions): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return this.#keys.sign(
      {
        iss: options.issuer ?? this.issuer,
        sub,
        aud: options.audience,
        iat: now,
        exp: now + (options.expiresInSeconds ?? 300),
        client_id: 'webdav-client',
        jti: randomBytes(8).toString('hex'),
        ...(options.scope ? { scope: options.scope } : {}),
      },
      { typ: 'at+jwt' },
    );
  }

  opaque(sub: string, expiresInSeconds = 300): string {
    const token = randomBytes(24).toString('base64url');
    this.#opaque.set(token, { sub, exp: Date.now() + expiresInSeconds * 1000 });
    return token;
  }

  revoke(token: string): void {
    this.#revoked.add(token);
  }

  close(): Promise<void> {
    return this.#server.close();
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', this.issuer).pathname;
    if (this.mode === 'slow') await sleep(this.slowMs);
    if (this.mode === 'down') {
      res.statusCode = 500;
      res.end();
      return;
    }
    if (path === '/.well-known/openid-configuration') {
      return json(res, 200, {
        issuer: this.issuer,
        authorization_endpoint: `${this.issuer}/auth`,
        jwks_uri: `${this.issuer}/jwks`,
        userinfo_endpoint: `${this.issuer}/me`,
      });
    }
    if (path === '/jwks') return json(res, 200, this.#keys.jwks());
    if (path === '/me') {
      this.userinfoCalls++;
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const sub = token && (await this.#subjectOf(token));
      const user = typeof sub === 'string' ? this.users.get(sub) : undefined;
      if (!user) {
        res.setHeader('www-authenticate', `Bearer error="invalid_token", error_description="${typeof sub === 'object' ? sub.reason : 'The Access Token is not known'}"`);
        return json(res, 401, { error: 'invalid_token' });
      }
      return json(res, 200, user);
    }
    json(res, 404, { error: 'not_found' });
  }

  async #subjectOf(token: string): Promise<string | { reason: string }> {
    if (this.#revoked.has(token)) return { reason: 'The Access Token was revoked' };
    const opaque = this.#opaque.get(token);
    if (opaque) return opaque.exp > Date.now() ? opaque.sub : { reason: 'The Access Token expired' };
    try {
      const { claims } = await verifyJwt(token, this.#keys, { algorithms: ['ES256'], typ: 'at+jwt', iss: this.issuer });
      return claims.sub as string;
    } catch (error) {
      return { reason: error instanceof TokenError && error.code === 'TOKEN_EXPIRED' ? 'The Access Token expired' : 'The Access Token is invalid' };
    }
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}
