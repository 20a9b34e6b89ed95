import { createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExternalSigningKey, type JWK } from 'oidc-provider';
import { algorithmForPublicJwk, isPrivateJwk, jwkThumbprint, loadSigner, publicJwk, type Signer } from '@sigil/crypto';
import { ConfigError, type Logger } from '@sigil/service-kit';
import { readOrCreateDevelopmentFile } from './development-files.js';

/** A key in oidc-provider's keystore: a private JWK, or a signer whose key stays where it is (PKCS#11). */
export type ProviderSigningKey = JWK | ExternalSigningKey;

export interface SigningKeys {
  /** In order: the current key (it signs), the next key, then retired keys. */
  readonly keys: readonly ProviderSigningKey[];
  /** JWS algorithm of the current key: ID tokens and JWT access tokens are signed with it. */
  readonly algorithm: string;
  /** Releases token sessions held by PKCS#11 keys. */
  close(): Promise<void>;
}

/** A `Signer` (here: a key on a PKCS#11 token) as oidc-provider's external signing key. */
class SignerSigningKey extends ExternalSigningKey {
  readonly #signer: Signer;
  readonly #publicKey: KeyObject;
  readonly #kid: string;

  constructor(signer: Signer) {
    super();
    this.#signer = signer;
    this.#publicKey = createPublicKey({ key: signer.publicJwk, format: 'jwk' });
    this.#kid = jwkThumbprint(signer.publicJwk);
  }

  override get kid(): string {
    return this.#kid;
  }

  override get alg(): string {
    return this.#signer.algorithm;
  }

  override keyObject(): KeyObject {
    return this.#publicKey;
  }

  override sign(data: Uint8Array): Promise<Uint8Array> {
    return this.#signer.sign(data);
  }
}

/** A private JWK ready for oidc-provider: `kid` (RFC 7638 thumbprint unless given), `alg` and `use`. */
function signingJwk(jwk: JsonWebKey, setting: string): JWK {
  if (!isPrivateJwk(jwk)) throw new ConfigError(setting, 'a signing key must be a private key');
  const requested = typeof jwk.alg === 'string' ? jwk.alg : undefined;
  let alg: string;
  try {
    alg = algorithmForPublicJwk(publicJwk(jwk), requested as Parameters<typeof algorithmForPublicJwk>[1]);
  } catch (error) {
    throw new ConfigError(setting, (error as Error).message);
  }
  if (alg === 'RSA-PKCS1-RAW') throw new ConfigError(setting, 'RSA-PKCS1-RAW cannot sign tokens');
  const kid = typeof jwk.kid === 'string' && jwk.kid !== '' ? jwk.kid : jwkThumbprint(publicJwk(jwk));
  return { ...(jwk as JWK), kid, alg, use: 'sig' };
}

async function readKeyFile(path: string, setting: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(setting, `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** One configured source: a `pkcs11:` URI, or a file holding a JWKS, a private JWK or a PEM private key. */
async function loadSource(source: string, setting: string, signers: Signer[]): Promise<ProviderSigningKey[]> {
  if (/^pkcs11:/i.test(source)) {
    let signer: Signer;
    try {
      signer = await loadSigner(source);
    } catch (error) {
      throw new ConfigError(setting, `cannot use the PKCS#11 key (${(error as Error).message})`);
    }
    signers.push(signer);
    if (signer.algorithm === 'RSA-PKCS1-RAW') throw new ConfigError(setting, 'RSA-PKCS1-RAW cannot sign tokens');
    return [new SignerSigningKey(signer)];
  }
  const text = await readKeyFile(source, setting);
  if (text.includes('-----BEGIN ')) {
    let key: KeyObject;
    try {
      key = createPrivateKey(text);
    } catch {
      throw new ConfigError(setting, `${source} is not a PEM private key`);
    }
    return [signingJwk(key.export({ format: 'jwk' }), setting)];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(setting, `${source} is neither PEM nor JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null) throw new ConfigError(setting, `${source} holds no JWK`);
  const keys = (parsed as { keys?: unknown }).keys;
  if (Array.isArray(keys)) {
    if (keys.length === 0) throw new ConfigError(setting, `${source} is an empty JWKS`);
    return keys.map((jwk) => signingJwk(jwk as JsonWebKey, setting));
  }
  return [signingJwk(parsed as JsonWebKey, setting)];
}

/** In development: one RSA key, generated once into the keys directory as a JWKS file. */
async function developmentKeyFile(keysDir: string, logger: Logger): Promise<string> {
  const path = join(keysDir, 'signing-keys.json');
  const file = await readOrCreateDevelopmentFile(path, () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return `${JSON.stringify({ keys: [signingJwk(privateKey.export({ format: 'jwk' }), 'SIGNING_KEYS')] }, null, 2)}\n`;
  });
  if (file.created) logger.info({ path }, 'generated a development signing key');
  return path;
}

export interface SigningKeySettings {
  readonly signingKeys: readonly string[] | undefined;
  readonly signingKeyNext: string | undefined;
  readonly keysDir: string;
  readonly production: boolean;
}

/**
 * The provider's signing keys, in the order oidc-provider needs for rotation
 * without downtime: it signs with the first key of an algorithm and
 * publishes all of them, so the current key comes first, then the next key
 * (published ahead of the switch), then retired keys (still verifying
 * tokens they signed).
 */
export async function loadSigningKeys(settings: SigningKeySettings, logger: Logger): Promise<SigningKeys> {
  const signers: Signer[] = [];
  const close = async () => {
    await Promise.all(signers.map((signer) => signer.close?.()));
  };
  try {
    let sources = settings.signingKeys ?? [];
    if (sources.length === 0) {
      if (settings.production) throw new ConfigError('SIGNING_KEYS', 'is required when NODE_ENV=production');
      sources = [await developmentKeyFile(settings.keysDir, logger)];
    }
    const [first, ...retired] = sources as [string, ...string[]];
    const current = await loadSource(first, 'SIGNING_KEYS', signers);
    const next = settings.signingKeyNext === undefined ? [] : await loadSource(settings.signingKeyNext, 'SIGNING_KEY_NEXT', signers);
    const others = (await Promise.all(retired.map((source) => loadSource(source, 'SIGNING_KEYS', signers)))).flat();
    const keys = [...current, ...next, ...others];
    const kids = new Set(keys.map((key) => key.kid));
    if (kids.size !== keys.length) throw new ConfigError('SIGNING_KEYS', 'the same key (kid) is configured twice');
    return { keys, algorithm: current[0]!.alg!, close };
  } catch (error) {
    await close();
    throw error;
  }
}
