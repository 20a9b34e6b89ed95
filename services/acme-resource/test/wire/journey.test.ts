import { describeWithRedis } from '@sigil/testkit';
import { x509 } from '../../src/x509.js';
import {
  accessTokenFor,
  answer,
  enrollingDevice,
  idTokenFor,
  newWireOrder,
  startWireBeds,
  WIRE_DOMAIN,
  wireCsr,
  type DeviceKind,
  type WireBeds,
} from '../support/wire-journey.js';
import { waitForStatus } from '../support/raw-order.js';

const describeRedis = await describeWithRedis();

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const NAME_CONSTRAINTS = '2.5.29.30';

describeRedis('Wire device identity, end to end (two replicas of each service)', () => {
  let beds: WireBeds;
  beforeAll(async () => {
    beds = await startWireBeds('wire-journey');
  });
  afterAll(() => beds?.close());

  it.each(['Ed25519', 'P-256'] as DeviceKind[])('enrolls an %s device: OIDC and DPoP challenges, then a client certificate', async (kind) => {
    const enrolling = await enrollingDevice(beds, kind);
    const order = await newWireOrder(enrolling);
    expect(order.oidc.token).toBe(order.dpop.token);
    expect(order.oidc.target).toBe(beds.auth.url);
    expect(order.dpop.target).toBe(`${beds.auth.url}/clients/${enrolling.device.deviceId}/access-token`);

    const idToken = await idTokenFor(beds, enrolling, order.oidc);
    expect((await answer(enrolling, order.oidc, { id_token: idToken })).status).toBe('valid');
    // The other acme-resource replica takes (and validates) the DPoP answer.
    const accessToken = await accessTokenFor(enrolling, order.dpop);
    expect((await answer(enrolling, order.dpop, { access_token: accessToken }, beds.acme.services[1]!.url)).status).toBe('valid');
    expect((await waitForStatus(enrolling.acme, enrolling.kid, order.url, ['ready', 'invalid'])).status).toBe('ready');

    const name = enrolling.device.account.displayName;
    const csr = await wireCsr(enrolling, { name, uris: [enrolling.handle, enrolling.device.clientId] });
    const finalized = await enrolling.acme.post(order.finalize, { csr }, { kid: enrolling.kid });
    expect(finalized.status).toBe(200);
    const done = await waitForStatus(enrolling.acme, enrolling.kid, order.url, ['valid', 'invalid']);
    expect(done.status).toBe('valid');
    const download = await enrolling.acme.post(done.certificate as string, '', { kid: enrolling.kid });
    expect(download.status).toBe(200);

    const [leaf, intermediate] = x509.PemConverter.decode(download.text).map((der) => new x509.X509Certificate(der));
    const root = new x509.X509Certificate(await (await fetch(`${beds.acme.baseUrl()}/ca/root`)).text());
    expect(await leaf!.verify({ publicKey: intermediate!.publicKey, signatureOnly: true })).toBe(true);
    expect(await intermediate!.verify({ publicKey: root.publicKey, signatureOnly: true })).toBe(true);

    expect(leaf!.subjectName.getField('CN')).toEqual([name]);
    expect(leaf!.subjectName.getField('O')).toEqual([WIRE_DOMAIN]);
    const san = leaf!.getExtension(x509.SubjectAlternativeNameExtension)!;
    expect(san.names.items.map((item) => [item.type, item.value])).toEqual([
      ['url', enrolling.handle],
      ['url', enrolling.device.clientId],
    ]);
    expect(leaf!.getExtension(x509.ExtendedKeyUsageExtension)!.usages).toEqual([CLIENT_AUTH]);
    const keyUsage = leaf!.getExtension(x509.KeyUsagesExtension)!;
    expect(keyUsage.critical).toBe(true);
    expect(keyUsage.usages).toBe(x509.KeyUsageFlags.digitalSignature);
    // The certified key is the device key.
    const certifiedKey = Buffer.from(leaf!.publicKey.rawData);
    expect(certifiedKey.equals(Buffer.from((await import('node:crypto')).createPublicKey(enrolling.key).export({ type: 'spki', format: 'der' })))).toBe(true);

    // The intermediate permits only URIs of the domain: nameConstraints, critical, permittedSubtrees [URI: domain].
    const constraints = intermediate!.extensions.find((extension) => extension.type === NAME_CONSTRAINTS)!;
    expect(constraints.critical).toBe(true);
    const domain = Buffer.from(WIRE_DOMAIN, 'ascii');
    const expected = Buffer.concat([
      Buffer.from([0x30, domain.length + 6, 0xa0, domain.length + 4, 0x30, domain.length + 2, 0x86, domain.length]),
      domain,
    ]);
    expect(Buffer.from(constraints.value).equals(expected)).toBe(true);
  });
});
