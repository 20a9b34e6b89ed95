import { getAddress, hashMessage, keccak256, recoverAddress, Wallet } from 'ethers';
import { describeWithRedis } from '@sigil/testkit';
import { postJson, randomMessage, startIpReplicas, type IpReplicas } from '../support/ip-replicas.js';

const controller = Wallet.createRandom();
const appAddress = Wallet.createRandom().address;

const describeRedis = await describeWithRedis();

describeRedis('POST /up/sign', () => {
  let ip: IpReplicas;

  beforeAll(async () => {
    ip = await startIpReplicas({
      label: 'sign',
      apps: [
        {
          appERC725Address: appAddress,
          controllerPrivateKey: controller.privateKey,
          audiences: ['https://resource.example'],
          rpcUrl: 'http://127.0.0.1:9',
          chainId: 31337,
        },
      ],
    });
  });
  afterAll(() => ip.close());

  it('signs the message with the app controller key, EIP-191 prefixed, and answers the seed shape', async () => {
    const message = randomMessage();
    const { status, headers, body } = await postJson(`${ip.url(0)}/up/sign`, {
      appERC725Address: appAddress.toLowerCase(),
      message,
      signaturePrefix: true,
    });
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(body).sort()).toEqual(['appERC725Address', 'controllerKeyOfApp', 'message', 'signature', 'signaturePrefix']);
    expect(body).toMatchObject({ appERC725Address: appAddress, controllerKeyOfApp: controller.address, message, signaturePrefix: true });
    expect(recoverAddress(hashMessage(Buffer.from(message, 'base64')), body.signature as string)).toBe(controller.address);
  });

  it('signs the bare keccak256 of the message without the prefix', async () => {
    const message = randomMessage();
    const { body } = await postJson(`${ip.url(1)}/up/sign`, { appERC725Address: appAddress.toUpperCase().replace('0X', '0x'), message, signaturePrefix: false });
    expect(body.appERC725Address).toBe(getAddress(appAddress));
    expect(recoverAddress(keccak256(Buffer.from(message, 'base64')), body.signature as string)).toBe(controller.address);
  });

  it('gives a different signature each time, even for the same message', async () => {
    const request = { appERC725Address: appAddress, message: randomMessage(), signaturePrefix: true };
    const first = await postJson(`${ip.url(0)}/up/sign`, request);
    const second = await postJson(`${ip.url(0)}/up/sign`, request);
    expect(first.body.signature).not.toBe(second.body.signature);
  });

  const good = () => ({ appERC725Address: appAddress, message: randomMessage(), signaturePrefix: true });
  it.each([
    ['a missing address', { ...good(), appERC725Address: undefined }, 'appERC725Address', 'invalid-request'],
    ['bad hex in the address', { ...good(), appERC725Address: `0x${'zz'.repeat(20)}` }, 'appERC725Address', 'invalid-request'],
    ['a short address', { ...good(), appERC725Address: appAddress.slice(0, 40) }, 'appERC725Address', 'invalid-request'],
    ['an unknown app', { ...good(), appERC725Address: Wallet.createRandom().address }, 'appERC725Address', 'unknown-app'],
    ['a missing message', { ...good(), message: undefined }, 'message', 'invalid-request'],
    ['an empty message', { ...good(), message: '' }, 'message', 'invalid-request'],
    ['a message that is not base64', { ...good(), message: 'not base64!' }, 'message', 'invalid-request'],
    ['an unpadded message', { ...good(), message: 'YWJj ZA' }, 'message', 'invalid-request'],
    ['a message that is not a string', { ...good(), message: 42 }, 'message', 'invalid-request'],
    ['a missing signaturePrefix', { ...good(), signaturePrefix: undefined }, 'signaturePrefix', 'invalid-request'],
    ['a signaturePrefix that is not a boolean', { ...good(), signaturePrefix: 'true' }, 'signaturePrefix', 'invalid-request'],
  ])('refuses %s with a 400 problem naming the field', async (_what, body, field, code) => {
    const response = await postJson(`${ip.url(0)}/up/sign`, body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ type: `urn:sigil:problem:${code}`, status: 400, field });
  });

  it('refuses a body that is not a JSON object', async () => {
    const array = await postJson(`${ip.url(0)}/up/sign`, [good()]);
    expect(array.status).toBe(400);
    const text = await fetch(`${ip.url(0)}/up/sign`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(text.status).toBe(400);
    expect(await text.json()).toMatchObject({ type: 'urn:sigil:problem:invalid-request', field: 'body' });
  });
});
