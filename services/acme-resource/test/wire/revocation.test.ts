import { describeWithRedis } from '@sigil/testkit';
import { x509 } from '../../src/x509.js';
import { enroll, startWireBeds, type WireBeds } from '../support/wire-journey.js';

const describeRedis = await describeWithRedis();

async function crlAt(url: string): Promise<x509.X509Crl> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/pkix-crl');
  return new x509.X509Crl(Buffer.from(await response.arrayBuffer()));
}

describeRedis('revoking a Wire device certificate (two replicas)', () => {
  let beds: WireBeds;
  beforeAll(async () => {
    beds = await startWireBeds('wire-revocation');
  });
  afterAll(() => beds?.close());

  it('lists it on the CRL its distribution point names, signed by the Wire intermediate, and not on the main one', async () => {
    const { enrolling, chain } = await enroll(beds, 'P-256');
    const [leaf, wireIntermediate] = x509.PemConverter.decode(chain).map((der) => new x509.X509Certificate(der));
    const distributionPoint = leaf!.getExtension(x509.CRLDistributionPointsExtension)!.distributionPoints[0]!.distributionPoint!.fullName![0]!.uniformResourceIdentifier;
    expect(distributionPoint).toBe(`${beds.acme.baseUrl()}/crl/wire`);

    const before = await crlAt(distributionPoint!);
    expect(before.issuer).toBe(wireIntermediate!.subject);
    expect(await before.verify({ publicKey: wireIntermediate!.publicKey })).toBe(true);
    expect(before.findRevoked(leaf!)).toBeNull();

    const revoked = await enrolling.acme.post(`${beds.acme.baseUrl()}/acme/revoke-cert`, { certificate: Buffer.from(leaf!.rawData).toString('base64url'), reason: 1 }, { kid: enrolling.kid });
    expect(revoked.status).toBe(200);

    // Either replica serves the new CRL.
    for (const replica of beds.acme.services) {
      const after = await crlAt(`${replica.url}/crl/wire`);
      expect(await after.verify({ publicKey: wireIntermediate!.publicKey })).toBe(true);
      expect(after.findRevoked(leaf!)?.reason).toBe(x509.X509CrlReason.keyCompromise);
    }
    const mainIntermediate = new x509.X509Certificate(await (await fetch(`${beds.acme.baseUrl()}/ca/intermediate`)).text());
    const main = await crlAt(`${beds.acme.baseUrl()}/crl`);
    expect(main.issuer).toBe(mainIntermediate.subject);
    expect(main.findRevoked(leaf!)).toBeNull();

    const again = await enrolling.acme.post(`${beds.acme.baseUrl()}/acme/revoke-cert`, { certificate: Buffer.from(leaf!.rawData).toString('base64url') }, { kid: enrolling.kid });
    expect(again.status).toBe(400);
    expect((again.body as { type: string }).type).toBe('urn:ietf:params:acme:error:alreadyRevoked');
  });
});
