import { constants, createHmac, createPublicKey, sign, type JsonWebKey, type KeyObject } from 'node:crypto';

export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON when the response is JSON or a problem, else the text. */
  readonly body: Record<string, unknown> & { type?: string; detail?: string; status?: number };
  readonly text: string;
}

export interface PostOptions {
  /** Sign with `kid` = this account URL; otherwise the key goes in as `jwk`. */
  kid?: string;
  /** Put both a `jwk` and the `kid` in the header. */
  bothKeys?: boolean;
  alg?: string;
  /** The nonce to use; `null` leaves it out. Default: a fresh one from newNonce. */
  nonce?: string | null;
  /** The `url` header; default: the URL posted to. */
  url?: string;
  /** Members merged into (or, as undefined, removed from) the protected header. */
  header?: Record<string, unknown>;
  /** Replace the whole body. */
  body?: string;
  contentType?: string;
  /** Change the JWS object after signing. */
  tamper?: (jws: Record<string, unknown>) => void;
  /** A different key signs than the one in the header. */
  signingKey?: KeyObject;
  /** An HMAC secret to sign with (for the HS256 refusal). */
  hmacSecret?: Buffer;
}

/** The JWS algorithm a key signs with by default. */
export function defaultAlg(key: KeyObject): string {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return curve === 'secp384r1' ? 'ES384' : 'ES256';
}

/** Signs a JWS signing input the way RFC 7518 defines each algorithm. */
export function jwsSign(alg: string, key: KeyObject, input: Buffer): Buffer {
  switch (alg) {
    case 'ES256':
      return sign('sha256', input, { key, dsaEncoding: 'ieee-p1363' });
    case 'ES384':
      return sign('sha384', input, { key, dsaEncoding: 'ieee-p1363' });
    case 'RS256':
      return sign('sha256', input, key);
    case 'PS256':
      return sign('sha256', input, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    default:
      return sign(null, input, key);
  }
}

export function publicJwkOf(key: KeyObject): JsonWebKey {
  return createPublicKey(key).export({ format: 'jwk' });
}

const b64u = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/**
 * A hand-made ACME client for the requests a real client never sends:
 * every part of the JWS can be set or broken on purpose.
 */
export class RawAcmeClient {
  constructor(
    readonly baseUrl: string,
    readonly key: KeyObject,
  ) {}

  url(path: string): string {
    return this.baseUrl + path;
  }

  async nonce(): Promise<string> {
    const response = await fetch(this.url('/acme/new-nonce'), { method: 'HEAD' });
    return response.headers.get('replay-nonce')!;
  }

  /** Builds the flattened JWS for `payload` ('' for POST-as-GET). */
  async jws(url: string, payload: unknown, options: PostOptions = {}): Promise<Record<string, unknown>> {
    const alg = options.alg ?? defaultAlg(options.signingKey ?? this.key);
    const nonce = options.nonce === undefined ? await this.nonce() : options.nonce;
    const header: Record<string, unknown> = { alg, url: options.url ?? url };
    if (nonce !== null) header.nonce = nonce;
    if (options.kid) header.kid = options.kid;
    if (!options.kid || options.bothKeys) header.jwk = publicJwkOf(this.key);
    for (const [name, value] of Object.entries(options.header ?? {})) {
      if (value === undefined) delete header[name];
      else header[name] = value;
    }
    const protectedB64 = b64u(JSON.stringify(header));
    const payloadB64 = payload === '' ? '' : b64u(JSON.stringify(payload));
    const input = Buffer.from(`${protectedB64}.${payloadB64}`);
    const signature = options.hmacSecret
      ? createHmac('sha256', options.hmacSecret).update(input).digest()
      : alg === 'none'
        ? Buffer.alloc(0)
        : jwsSign(alg, options.signingKey ?? this.key, input);
    const jws: Record<string, unknown> = { protected: protectedB64, payload: payloadB64, signature: b64u(signature) };
    options.tamper?.(jws);
    return jws;
  }

  async post(path: string, payload: unknown, options: PostOptions = {}): Promise<RawResponse> {
    const url = path.startsWith('http') ? path : this.url(path);
    const body = options.body ?? JSON.stringify(await this.jws(url, payload, options));
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': options.contentType ?? 'application/jose+json' }, body });
    return read(response);
  }

  /** Creates (or finds) the account of this key; returns its URL. */
  async account(): Promise<string> {
    const response = await this.post('/acme/new-account', { termsOfServiceAgreed: true });
    if (response.status !== 201 && response.status !== 200) throw new Error(`newAccount: ${response.status} ${response.text}`);
    return response.headers.get('location')!;
  }
}

export async function read(response: Response): Promise<RawResponse> {
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  const body = type.includes('json') && text !== '' ? (JSON.parse(text) as RawResponse['body']) : ({} as RawResponse['body']);
  return { status: response.status, headers: response.headers, body, text };
}

export const ACME = (type: string) => `urn:ietf:params:acme:error:${type}`;
