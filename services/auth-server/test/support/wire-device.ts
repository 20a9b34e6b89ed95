// A Wire device in tests: a signed-in user (code + PKCE through the pages),
// one registered device with its own key, and proofs for its access-token
// endpoint built with any claim changed.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { signerFromKeyObject, type Signer } from '@sigil/crypto';
import { issueJwt } from '@sigil/tokens';
import type { AuthServerTestBed } from './auth-server.js';
import { createTestAccount } from './accounts.js';
import { discover, signInWithCode } from './relying-party.js';
import { UserAgent } from '@sigil/testkit';
import type { Account } from '../../src/domain/account.js';

export const WIRE_TEST_DOMAIN = 'wire.example.test';
export const ACME_CHALLENGE_URL = 'https://acme.example.test/acme/wire/challenge/abc/def';

export type DeviceKeyKind = 'Ed25519' | 'P-256';

export function deviceSigner(kind: DeviceKeyKind): Signer {
  const { privateKey } = kind === 'Ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return signerFromKeyObject(privateKey);
}

export interface TestDevice {
  readonly account: Account;
  /** The account's password (to sign in again through the pages). */
  readonly password: string;
  /** The user's Bearer access token at auth-server. */
  readonly accessToken: string;
  readonly deviceId: string;
  readonly clientId: string;
  readonly signer: Signer;
  readonly accessTokenUrl: string;
  /** HEAD /clients/:cid/nonce. */
  nonce(): Promise<string>;
  /** The proof claims a well-behaved device sends, with `overrides` applied (`undefined` removes a claim). */
  claims(nonce: string, overrides?: Record<string, unknown>): Record<string, unknown>;
  /** A proof signed by the device key, over `claims(nonce, overrides)`. */
  proof(nonce: string, overrides?: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
  /** POST /clients/:cid/access-token with the proof (none when undefined). */
  requestToken(proof: string | undefined): Promise<Response>;
}

export async function enrollTestDevice(
  bed: Pick<AuthServerTestBed, 'url' | 'store'>,
  options: { kind?: DeviceKeyKind; signer?: Signer; teamId?: string | null; displayName?: string } = {},
): Promise<TestDevice> {
  const account = await createTestAccount(bed.store, {
    teamId: options.teamId === undefined ? randomUUID() : options.teamId,
    ...(options.displayName !== undefined && { displayName: options.displayName }),
  });
  const config = await discover(bed.url, 'test-spa');
  const tokens = await signInWithCode(config, new UserAgent(bed.url), account, { scope: 'openid profile' });
  const accessToken = tokens.access_token;
  const registered = await fetch(`${bed.url}/clients`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}` } });
  if (registered.status !== 201) throw new Error(`device registration failed: ${registered.status} ${await registered.text()}`);
  const { id: deviceId, client_id: clientId } = (await registered.json()) as { id: string; client_id: string };
  const signer = options.signer ?? deviceSigner(options.kind ?? 'Ed25519');
  const accessTokenUrl = `${bed.url}/clients/${deviceId}/access-token`;

  const claims = (nonce: string, overrides: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const base: Record<string, unknown> = {
      jti: randomUUID(),
      htm: 'POST',
      htu: accessTokenUrl,
      iat: now,
      nbf: now,
      exp: now + 300,
      sub: clientId,
      aud: ACME_CHALLENGE_URL,
      nonce,
      chal: 'challenge-token-0123456789',
      handle: `wireapp://%40${account.handle}@${WIRE_TEST_DOMAIN}`,
      team: account.teamId,
      name: account.displayName,
    };
    for (const [name, value] of Object.entries(overrides)) {
      if (value === undefined) delete base[name];
      else base[name] = value;
    }
    return base;
  };

  return {
    account,
    password: account.password,
    accessToken,
    deviceId,
    clientId,
    signer,
    accessTokenUrl,
    async nonce() {
      const response = await fetch(`${bed.url}/clients/${deviceId}/nonce`, { method: 'HEAD', headers: { authorization: `Bearer ${accessToken}` } });
      if (response.status !== 200) throw new Error(`nonce failed: ${response.status}`);
      return response.headers.get('replay-nonce')!;
    },
    claims,
    async proof(nonce, overrides = {}, header = {}) {
      return issueJwt(signer, { typ: 'dpop+jwt', jwk: signer.publicJwk, ...header }, claims(nonce, overrides));
    },
    async requestToken(proof) {
      const headers: Record<string, string> = { authorization: `Bearer ${accessToken}` };
      if (proof !== undefined) headers.dpop = proof;
      return fetch(accessTokenUrl, { method: 'POST', headers });
    },
  };
}
