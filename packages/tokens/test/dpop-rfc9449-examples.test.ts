// The examples printed in RFC 9449, verified as they stand: the token request
// proof (its content shown decoded in §4.1, encoded in the §5 request), the
// §7.1 resource request proof with its `ath`, and the thumbprint of their key
// as the §6.1 `cnf` example gives it.
import { createStore, type Store } from '@sigil/store';
import { accessTokenHash, assertCnfBinding, DpopError, verifyDpopProof, type DpopVerificationOptions } from '../src/index.js';
import { withPayload } from './support/jws-forgery.js';

const TOKEN_REQUEST_PROOF =
  'eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19' +
  '.eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIjoiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwiaWF0IjoxNTYyMjYyNjE2fQ' +
  '.2-GxA6T8lP4vfrg8v-FdWP0A0zdrj8igiMLvqRMUvwnQg4PtFLbdLXiOSsX0x7NVY-FNyJK70nfbV37xRZT3Lg';

const RESOURCE_REQUEST_PROOF =
  'eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19' +
  '.eyJqdGkiOiJlMWozVl9iS2ljOC1MQUVCIiwiaHRtIjoiR0VUIiwiaHR1IjoiaHR0cHM6Ly9yZXNvdXJjZS5leGFtcGxlLm9yZy9wcm90ZWN0ZWRyZXNvdXJjZSIsImlhdCI6MTU2MjI2MjYxOCwiYXRoIjoiZlVIeU8ycjJaM0RaNTNFc05yV0JiMHhXWG9hTnk1OUlpS0NBcWtzbVFFbyJ9' +
  '.2oW9RP35yRqzhrtNP86L-Ey71EOptxRimPPToA1plemAgR6pxHF8y6-yqyVnmcw6Fy1dqd-jfxSYoMxhAJpLjA';

/** §7.1: the DPoP-bound access token the resource request carries. */
const ACCESS_TOKEN = 'Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU';
const ATH = 'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo';
/** §6.1: the `jkt` of the examples' key. */
const JKT = '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I';

const EXAMPLE_JWK = {
  kty: 'EC',
  crv: 'P-256',
  x: 'l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs',
  y: '9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA',
};

let replay: Store;
beforeEach(() => {
  replay = createStore({ prefix: 'test:' });
});
afterEach(() => replay.close());

function tokenRequest(overrides: Partial<DpopVerificationOptions> = {}): DpopVerificationOptions {
  return { htm: 'POST', htu: 'https://server.example.com/token', replay, clock: () => 1562262616_000, ...overrides };
}

async function refusal(proof: string, options: DpopVerificationOptions): Promise<string> {
  const error: unknown = await verifyDpopProof(proof, options).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof DpopError)) throw new Error(`expected a DpopError, got ${String(error)}`);
  return error.code;
}

describe('RFC 9449 examples', () => {
  it('accepts the §4.1 token request proof and reports its key and thumbprint', async () => {
    const verified = await verifyDpopProof(TOKEN_REQUEST_PROOF, tokenRequest());
    expect(verified.jwk).toEqual(EXAMPLE_JWK);
    expect(verified.thumbprint).toBe(JKT);
    expect(verified.claims).toEqual({
      jti: '-BwC3ESc6acc2lTc',
      htm: 'POST',
      htu: 'https://server.example.com/token',
      iat: 1562262616,
    });
  });

  it('accepts the §7.1 resource request proof with the access token its ath names', async () => {
    expect(accessTokenHash(ACCESS_TOKEN)).toBe(ATH);
    const verified = await verifyDpopProof(RESOURCE_REQUEST_PROOF, {
      htm: 'GET',
      htu: 'https://resource.example.org/protectedresource',
      accessToken: ACCESS_TOKEN,
      replay,
      clock: () => 1562262618_000,
    });
    expect(verified.claims.ath).toBe(ATH);
    expect(() => assertCnfBinding({ cnf: { jkt: JKT } }, verified.thumbprint)).not.toThrow();
  });

  it('refuses the §7.1 proof with another access token', async () => {
    const options = { htm: 'GET', htu: 'https://resource.example.org/protectedresource', replay, clock: () => 1562262618_000 };
    expect(await refusal(RESOURCE_REQUEST_PROOF, { ...options, accessToken: `${ACCESS_TOKEN}x` })).toBe('DPOP_ATH_MISMATCH');
  });

  it('compares htu after normalization, without query and fragment', async () => {
    await expect(
      verifyDpopProof(TOKEN_REQUEST_PROOF, tokenRequest({ htu: 'HTTPS://Server.EXAMPLE.com:443/token?state=1#frag' })),
    ).resolves.toBeDefined();
  });

  it('refuses the §4.1 proof a second time, later than its window, or for another request', async () => {
    await verifyDpopProof(TOKEN_REQUEST_PROOF, tokenRequest());
    expect(await refusal(TOKEN_REQUEST_PROOF, tokenRequest())).toBe('DPOP_REPLAYED');
    expect(await refusal(TOKEN_REQUEST_PROOF, tokenRequest({ clock: () => 1562262616_000 + 3_600_000 }))).toBe(
      'DPOP_IAT_OUT_OF_WINDOW',
    );
    expect(await refusal(TOKEN_REQUEST_PROOF, tokenRequest({ htm: 'GET' }))).toBe('DPOP_HTM_MISMATCH');
    expect(await refusal(TOKEN_REQUEST_PROOF, tokenRequest({ htu: 'https://server.example.com/par' }))).toBe('DPOP_HTU_MISMATCH');
  });

  it('refuses the §4.1 proof with any claim changed', async () => {
    const tampered = [
      withPayload(TOKEN_REQUEST_PROOF, (claims) => (claims.jti = 'another')),
      withPayload(TOKEN_REQUEST_PROOF, (claims) => (claims.iat = 1562262617)),
      withPayload(TOKEN_REQUEST_PROOF, (claims) => (claims.nonce = 'added')),
    ];
    for (const proof of tampered) expect(await refusal(proof, tokenRequest())).toBe('DPOP_SIGNATURE_INVALID');
  });
});
