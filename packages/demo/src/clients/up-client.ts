import { randomBytes } from 'node:crypto';
import { getBytes, keccak256, type BaseWallet } from 'ethers';
import { bodySummary, CheckFailed } from '../runner/checks.js';

export interface AppSignature {
  readonly appERC725Address: string;
  readonly controllerKeyOfApp: string;
  readonly message: string;
  readonly signature: string;
  readonly signaturePrefix: boolean;
}

export interface UpToken {
  readonly token: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
  readonly type: string;
}

/** The answer of one of the ip-service's endpoints, or what refused it: status, problem type and detail. */
export class UpRequestRefused extends CheckFailed {
  constructor(
    readonly status: number,
    readonly problemType: string | undefined,
    summary: string,
  ) {
    super(`${status} ${summary}`);
  }
}

async function post<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status !== 200) {
    const type = response.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as { type?: string }).type : undefined;
    throw new UpRequestRefused(response.status, type, bodySummary(response.headers.get('content-type'), text));
  }
  return JSON.parse(text) as T;
}

/** Seed step 1: a random message M (base64) signed by the app's controller key, as an EIP-191 personal message. */
export function requestAppSignature(ipServiceUrl: string, appAddress: string): Promise<AppSignature> {
  return post(`${ipServiceUrl}/up/sign`, { appERC725Address: appAddress, message: randomBytes(32).toString('base64'), signaturePrefix: true });
}

/**
 * Seed step 2: the client signs `keccak(originalSignatureHex.ToByte())`
 * with its own key (an ethers wallet, as an EIP-191 personal message) and
 * asks for a token for its profile and the given audiences.
 */
export function requestToken(ipServiceUrl: string, signed: AppSignature, wallet: BaseWallet, profile: string, audiences: readonly string[]): Promise<UpToken> {
  return post(`${ipServiceUrl}/up/token`, {
    audiences,
    userERC725Address: profile,
    message: signed.message,
    originalAppSignature: signed.signature,
    signature: wallet.signMessageSync(getBytes(keccak256(signed.signature))),
    signaturePrefix: true,
  });
}

/** Seed step 4, the way the seed does not recommend but offers: the ip-service says whose token it is. */
export function verifyToken(ipServiceUrl: string, token: string): Promise<{ erc725Address: string; erc725ControllerKey: string }> {
  return post(`${ipServiceUrl}/up/token/verify`, { token });
}
