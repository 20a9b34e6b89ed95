import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { computeAddress, recoverAddress, SigningKey } from 'ethers';
import { createSoftHsmToken, describeWhen, softHsmAvailable, type SoftHsmToken } from '@sigil/testkit';
import { secp256k1SignerFromPkcs11Uri, type Pkcs11Secp256k1Signer } from '../src/index.js';

const describeWithSoftHsm = describeWhen(softHsmAvailable(), 'SoftHSM2');
const secp256k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey;
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const pem = (key: typeof secp256k1) => key.export({ type: 'pkcs8', format: 'pem' }).toString();
const HALF_ORDER = BigInt('0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0');

describeWithSoftHsm('secp256k1SignerFromPkcs11Uri on SoftHSM2', () => {
  let token: SoftHsmToken;
  const signers: Pkcs11Secp256k1Signer[] = [];

  beforeAll(async () => {
    token = await createSoftHsmToken([
      { label: 'eth', privateKeyPem: pem(secp256k1) },
      { label: 'p256', privateKeyPem: pem(p256) },
    ]);
  });
  afterAll(async () => {
    await Promise.all(signers.map((signer) => signer.close()));
    await token?.remove();
  });

  it('answers Ethereum signatures: r || s || v, low s, recovering the key address', async () => {
    const signer = await secp256k1SignerFromPkcs11Uri(token.uri('eth'));
    signers.push(signer);
    const d = `0x${Buffer.from(secp256k1.export({ format: 'jwk' }).d!, 'base64url').toString('hex')}`;
    expect(signer.address).toBe(computeAddress(new SigningKey(d).publicKey));
    const digests = Array.from({ length: 16 }, () => randomBytes(32));
    const signatures = await Promise.all(digests.map((digest) => signer.signDigest(digest)));
    for (const [index, signature] of signatures.entries()) {
      expect(signature).toHaveLength(65);
      expect([27, 28]).toContain(signature[64]);
      expect(BigInt(`0x${Buffer.from(signature.subarray(32, 64)).toString('hex')}`) <= HALF_ORDER).toBe(true);
      expect(recoverAddress(digests[index]!, `0x${Buffer.from(signature).toString('hex')}`)).toBe(signer.address);
    }
  });

  it('refuses a key on another curve, a digest that is not 32 bytes, and signing after close', async () => {
    await expect(secp256k1SignerFromPkcs11Uri(token.uri('p256'))).rejects.toMatchObject({ code: 'ERR_PKCS11_KEY_UNSUPPORTED' });
    const signer = await secp256k1SignerFromPkcs11Uri(token.uri('eth'));
    await expect(signer.signDigest(randomBytes(31))).rejects.toMatchObject({ code: 'ERR_SECP256K1_DIGEST_INVALID' });
    await signer.close();
    await expect(signer.signDigest(randomBytes(32))).rejects.toMatchObject({ code: 'ERR_PKCS11_SIGNER_CLOSED' });
  });
});
