import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSoftHsmToken, softHsmAvailable } from '@sigil/testkit';
import type { SoftHsmToken } from '@sigil/testkit';
import { isPrivateJwk, parsePkcs11Uri, recoverRsaPkcs1Raw, signerFromPkcs11Uri, verifySignature } from '../src/index.js';
import { acquirePkcs11Module } from '../src/pkcs11-module.js';
import { findTokenSlot } from '../src/pkcs11-token.js';
import type { Signer } from '../src/index.js';
import { message, pkcs8Pem, testKeyPair } from './test-keys.js';

const available = softHsmAvailable();
if (!available) console.warn('SoftHSM2 is not installed: skipping the PKCS#11 signer tests');
const describeWithSoftHsm = available ? describe : describe.skip;

describeWithSoftHsm('signerFromPkcs11Uri on SoftHSM2', () => {
  let token: SoftHsmToken;
  const signers: Signer[] = [];
  const open = async (uri: string, options?: Parameters<typeof signerFromPkcs11Uri>[1]) => {
    const signer = await signerFromPkcs11Uri(uri, options);
    signers.push(signer);
    return signer;
  };

  beforeAll(async () => {
    // Every key of this file in one token: SoftHSM sees only tokens that exist when it initializes.
    token = await createSoftHsmToken([
      { label: 'ec-p256', privateKeyPem: pkcs8Pem(testKeyPair('P-256')) },
      { label: 'ec-p384', privateKeyPem: pkcs8Pem(testKeyPair('P-384')) },
      { label: 'ec-p521', privateKeyPem: pkcs8Pem(testKeyPair('P-521')) },
      { label: 'rsa', privateKeyPem: pkcs8Pem(testKeyPair('RSA')) },
      { label: 'ed25519', privateKeyPem: pkcs8Pem(testKeyPair('Ed25519')) },
      { label: 'secp256k1', privateKeyPem: pkcs8Pem(testKeyPair('secp256k1')) },
    ]);
  });

  const closeAll = async () => {
    await Promise.all(signers.splice(0).map((signer) => signer.close?.()));
  };

  afterAll(async () => {
    await closeAll();
    await token?.remove();
  });

  it.each([
    ['ec-p256', 'P-256', 'ES256'],
    ['ec-p384', 'P-384', 'ES384'],
    ['ec-p521', 'P-521', 'ES512'],
    ['rsa', 'RSA', 'RS256'],
    ['ed25519', 'Ed25519', 'EdDSA'],
  ] as const)('signs with the %s key as %s → %s, verifiable with the original public key', async (label, kind, algorithm) => {
    const signer = await open(token.uri(label));
    const publicKey = testKeyPair(kind).publicKey;
    expect(signer.algorithm).toBe(algorithm);
    expect(signer.publicJwk).toEqual(publicKey.export({ format: 'jwk' }));
    expect(isPrivateJwk(signer.publicJwk)).toBe(false);
    const signature = await signer.sign(message);
    expect(verifySignature(algorithm, publicKey, message, signature)).toBe(true);
  });

  it('signs PS256 with CKM_SHA256_RSA_PKCS_PSS', async () => {
    const signer = await open(token.uri('rsa'), { algorithm: 'PS256' });
    const signature = await signer.sign(message);
    expect(verifySignature('PS256', testKeyPair('RSA').publicKey, message, signature)).toBe(true);
  });

  it('signs raw PKCS#1 v1.5 with CKM_RSA_PKCS, exactly as software does', async () => {
    const signer = await open(token.uri('rsa'), { algorithm: 'RSA-PKCS1-RAW' });
    const challenge = Buffer.from('idopte challenge 0123456789');
    const signature = await signer.sign(challenge);
    expect(Buffer.from(recoverRsaPkcs1Raw(testKeyPair('RSA').publicKey, signature))).toEqual(challenge);
    await expect(signer.sign(new Uint8Array(246))).rejects.toMatchObject({ code: 'ERR_RSA_PKCS1_INPUT_TOO_LONG' });
  });

  it('serializes concurrent signatures on its one session', async () => {
    const signer = await open(token.uri('ec-p256'));
    const inputs = Array.from({ length: 12 }, (_, index) => Buffer.from(`message ${index}`));
    const signatures = await Promise.all(inputs.map((input) => signer.sign(input)));
    signatures.forEach((signature, index) => {
      expect(verifySignature('ES256', signer.publicJwk, inputs[index] as Buffer, signature)).toBe(true);
    });
  });

  it('finds the key by id as well as by label, and shares a logged-in token between signers', async () => {
    const byId = await open(`pkcs11:token=${token.tokenLabel};id=%04?module-path=${token.modulePath}&pin-value=${token.pin}`);
    expect(byId.algorithm).toBe('RS256');
    const again = await open(token.uri('rsa'));
    expect(again.publicJwk).toEqual(byId.publicJwk);
  });

  it('reads the PIN from a file or an environment variable', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'sigil-pin-'));
    try {
      const pinFile = join(directory, 'pin');
      await writeFile(pinFile, `${token.pin}\n`);
      const base = `pkcs11:token=${token.tokenLabel};object=ec-p384?module-path=${token.modulePath}`;
      const fromFile = await open(`${base}&pin-source=file:${pinFile}`);
      expect(fromFile.algorithm).toBe('ES384');
      const fromEnv = await open(`${base}&pin-source=env:SIGIL_TEST_PIN`, { env: { SIGIL_TEST_PIN: token.pin } });
      expect(fromEnv.algorithm).toBe('ES384');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('opens a new session, and logs in again, when the token drops its sessions', async () => {
    const signer = await open(token.uri('ec-p256'));
    const module = acquirePkcs11Module(token.modulePath);
    try {
      const slot = findTokenSlot(module.pkcs11, parsePkcs11Uri(token.uri('ec-p256')));
      expect(slot).toBeDefined();
      // Closing every session of the token also logs the application out of it (PKCS#11 v2.40 §5.6).
      module.pkcs11.C_CloseAllSessions(slot as Buffer);
    } finally {
      module.release();
    }
    expect(verifySignature('ES256', signer.publicJwk, message, await signer.sign(message))).toBe(true);
  });

  it('refuses to sign after close', async () => {
    const signer = await signerFromPkcs11Uri(token.uri('ec-p256'));
    await signer.close();
    await signer.close();
    await expect(signer.sign(message)).rejects.toMatchObject({ code: 'ERR_PKCS11_SIGNER_CLOSED' });
  });

  describe('errors', () => {
    const fails = (code: string) => expect.objectContaining({ code });

    it('module not found', async () => {
      await expect(signerFromPkcs11Uri(`pkcs11:token=${token.tokenLabel};object=rsa?module-path=/nonexistent/libpkcs11.so&pin-value=1`)).rejects.toThrow(
        fails('ERR_PKCS11_MODULE_NOT_FOUND'),
      );
      await expect(signerFromPkcs11Uri(`pkcs11:token=${token.tokenLabel};object=rsa?pin-value=1`)).rejects.toThrow(
        fails('ERR_PKCS11_MODULE_NOT_FOUND'),
      );
      // A file that is not a shared library.
      await expect(signerFromPkcs11Uri(`pkcs11:object=rsa?module-path=/etc/hostname&pin-value=1`)).rejects.toThrow(
        fails('ERR_PKCS11_MODULE_NOT_FOUND'),
      );
    });

    it('token not found', async () => {
      await expect(
        signerFromPkcs11Uri(`pkcs11:token=no-such-token;object=rsa?module-path=${token.modulePath}&pin-value=${token.pin}`),
      ).rejects.toThrow(fails('ERR_PKCS11_TOKEN_NOT_FOUND'));
    });

    it('object not found', async () => {
      await expect(signerFromPkcs11Uri(token.uri('no-such-key'))).rejects.toThrow(fails('ERR_PKCS11_OBJECT_NOT_FOUND'));
    });

    it('bad PIN on a token nobody is logged in to, without the PIN in the message', async () => {
      await closeAll();
      const uri = `pkcs11:token=${token.tokenLabel};object=rsa?module-path=${token.modulePath}&pin-value=wrong-pin`;
      const error: unknown = await signerFromPkcs11Uri(uri).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'ERR_PKCS11_PIN_INCORRECT', returnValue: 'CKR_PIN_INCORRECT' });
      expect((error as Error).message).not.toContain('wrong-pin');
    });

    it('bad PIN while another signer keeps the token logged in', async () => {
      await open(token.uri('rsa'));
      const uri = `pkcs11:token=${token.tokenLabel};object=rsa?module-path=${token.modulePath}&pin-value=wrong-pin`;
      await expect(signerFromPkcs11Uri(uri)).rejects.toThrow(fails('ERR_PKCS11_PIN_INCORRECT'));
    });

    it('unsupported key (secp256k1 has no JOSE algorithm here)', async () => {
      await expect(signerFromPkcs11Uri(token.uri('secp256k1'))).rejects.toThrow(fails('ERR_PKCS11_KEY_UNSUPPORTED'));
    });

    it('an algorithm the key cannot carry', async () => {
      await expect(signerFromPkcs11Uri(token.uri('ec-p256'), { algorithm: 'ES384' })).rejects.toThrow(
        fails('ERR_KEY_ALGORITHM_MISMATCH'),
      );
    });

    it('a URI that names no key, or not a private key', async () => {
      await expect(signerFromPkcs11Uri(`pkcs11:token=${token.tokenLabel}?module-path=${token.modulePath}`)).rejects.toThrow(
        fails('ERR_PKCS11_URI_INVALID'),
      );
      await expect(signerFromPkcs11Uri(`pkcs11:object=rsa;type=public?module-path=${token.modulePath}`)).rejects.toThrow(
        fails('ERR_PKCS11_URI_INVALID'),
      );
    });
  });
});
