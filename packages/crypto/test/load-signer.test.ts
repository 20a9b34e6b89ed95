import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSoftHsmToken, softHsmAvailable } from '@sigil/testkit';
import { loadSigner, verifySignature } from '../src/index.js';
import { message, pkcs8Pem, testKeyPair } from './test-keys.js';

describe('loadSigner', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'sigil-keys-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('loads PEM text', async () => {
    const signer = await loadSigner(pkcs8Pem(testKeyPair('P-256')));
    expect(signer.algorithm).toBe('ES256');
  });

  it('loads a PEM file and a JWK file by path', async () => {
    const pemPath = join(directory, 'key.pem');
    await writeFile(pemPath, testKeyPair('RSA').privateKey.export({ format: 'pem', type: 'pkcs1' }));
    const fromPem = await loadSigner(pemPath, { algorithm: 'PS256' });
    expect(fromPem.algorithm).toBe('PS256');
    expect(verifySignature('PS256', testKeyPair('RSA').publicKey, message, await fromPem.sign(message))).toBe(true);

    const jwkPath = join(directory, 'key.jwk');
    await writeFile(jwkPath, JSON.stringify(testKeyPair('Ed25519').privateKey.export({ format: 'jwk' })));
    const fromJwk = await loadSigner(jwkPath);
    expect(fromJwk.algorithm).toBe('EdDSA');
  });

  it('loads a JWK object, JWK JSON text and a KeyObject', async () => {
    const pair = testKeyPair('P-384');
    const jwk = pair.privateKey.export({ format: 'jwk' });
    expect((await loadSigner(jwk)).algorithm).toBe('ES384');
    expect((await loadSigner(JSON.stringify(jwk))).algorithm).toBe('ES384');
    expect((await loadSigner(pair.privateKey)).algorithm).toBe('ES384');
  });

  it('passes the options through (algorithm, passphrase)', async () => {
    const pem = testKeyPair('RSA')
      .privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-128-cbc', passphrase: 'pw' })
      .toString();
    const signer = await loadSigner(pem, { passphrase: 'pw', algorithm: 'RSA-PKCS1-RAW' });
    expect(signer.algorithm).toBe('RSA-PKCS1-RAW');
  });

  it('refuses unreadable paths and contents that are no key', async () => {
    await expect(loadSigner(join(directory, 'absent.pem'))).rejects.toMatchObject({ code: 'ERR_KEY_SOURCE_INVALID' });
    const junk = join(directory, 'junk.txt');
    await writeFile(junk, 'hello');
    await expect(loadSigner(junk)).rejects.toMatchObject({ code: 'ERR_KEY_SOURCE_INVALID' });
    await expect(loadSigner('{"kty":"EC"')).rejects.toMatchObject({ code: 'ERR_KEY_SOURCE_INVALID' });
    await expect(loadSigner('[1,2]')).rejects.toMatchObject({ code: 'ERR_KEY_SOURCE_INVALID' });
    await expect(loadSigner(JSON.stringify(testKeyPair('P-256').publicKey.export({ format: 'jwk' })))).rejects.toMatchObject({
      code: 'ERR_KEY_INVALID',
    });
    await expect(loadSigner(42 as unknown as string)).rejects.toMatchObject({ code: 'ERR_KEY_SOURCE_INVALID' });
  });

  const withSoftHsm = softHsmAvailable() ? it : it.skip;
  withSoftHsm('loads a pkcs11: URI and closes it', async () => {
    const token = await createSoftHsmToken([{ label: 'signing', privateKeyPem: pkcs8Pem(testKeyPair('P-256')) }]);
    try {
      const signer = await loadSigner(token.uri('signing'));
      expect(signer.algorithm).toBe('ES256');
      expect(verifySignature('ES256', testKeyPair('P-256').publicKey, message, await signer.sign(message))).toBe(true);
      await signer.close?.();
      await expect(signer.sign(message)).rejects.toMatchObject({ code: 'ERR_PKCS11_SIGNER_CLOSED' });
    } finally {
      await token.remove();
    }
  });
});
