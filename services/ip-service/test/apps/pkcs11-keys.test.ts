import { createPublicKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import { computeAddress, hashMessage, recoverAddress, SigningKey, Wallet } from 'ethers';
import { createSoftHsmToken, describeWhen, describeWithRedis, fixtureKey, softHsmAvailable, type SoftHsmToken } from '@sigil/testkit';
import { postJson, randomMessage, signIn, startIpReplicas, type IpReplicas } from '../support/ip-replicas.js';

const describeRedis = await describeWithRedis();
const describeHsm = describeWhen(softHsmAvailable(), 'SoftHSM2');
const appAddress = Wallet.createRandom().address;
const signingKey = fixtureKey('RSA-2048', 'ip-pkcs11');
const controllerKey = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey;
const controllerAddress = computeAddress(
  SigningKey.computePublicKey(`0x${Buffer.from(controllerKey.export({ format: 'jwk' }).d!, 'base64url').toString('hex')}`),
);

describeRedis('keys on a PKCS#11 token', () => {
  describeHsm('(SoftHSM2)', () => {
    let token: SoftHsmToken;
    let ip: IpReplicas;

    beforeAll(async () => {
      token = await createSoftHsmToken([
        { label: 'ip-signing', privateKeyPem: signingKey.privateKeyPem },
        { label: 'app-controller', privateKeyPem: controllerKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
      ]);
      ip = await startIpReplicas({
        label: 'pkcs11',
        count: 1,
        env: { IP_SIGNING_KEY: token.uri('ip-signing') },
        apps: [{ appERC725Address: appAddress, controllerKeyUri: token.uri('app-controller'), audiences: ['https://a.example'], rpcUrl: 'http://127.0.0.1:9', chainId: 1 }],
      });
    }, 30_000);
    afterAll(async () => {
      await ip?.close();
      await token?.remove();
    });

    it('signs /up/sign with a secp256k1 controller key on the token: low s, right v, every time', async () => {
      for (let i = 0; i < 12; i++) {
        const message = randomMessage();
        const { status, body } = await postJson(`${ip.url(0)}/up/sign`, { appERC725Address: appAddress, message, signaturePrefix: true });
        expect(status).toBe(200);
        expect(body.controllerKeyOfApp).toBe(controllerAddress);
        expect(recoverAddress(hashMessage(Buffer.from(message, 'base64')), body.signature as string)).toBe(controllerAddress);
      }
    });

    it('signs tokens with an RS256 key on the token, published in the JWKS', async () => {
      const { status, body } = await signIn(ip.url(0), ip.url(0), { app: appAddress, wallet: Wallet.createRandom(), audiences: ['https://a.example'] });
      expect(status).toBe(200);
      const { keys } = (await (await fetch(`${ip.url(0)}/.well-known/jwks.json`)).json()) as { keys: (JsonWebKey & { kid: string })[] };
      expect(createPublicKey({ key: keys[0]!, format: 'jwk' }).equals(signingKey.publicKey)).toBe(true);
      expect(decodeProtectedHeader(body.token as string).kid).toBe(keys[0]!.kid);
      expect((await postJson(`${ip.url(0)}/up/token/verify`, { token: body.token })).status).toBe(200);
    });
  });
});
