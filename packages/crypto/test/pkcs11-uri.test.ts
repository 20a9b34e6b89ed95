import { parsePkcs11Uri } from '../src/index.js';

const invalid = expect.objectContaining({ code: 'ERR_PKCS11_URI_INVALID' });

describe('parsePkcs11Uri (RFC 7512)', () => {
  it('reads the path and query attributes a signer uses', () => {
    expect(
      parsePkcs11Uri(
        'pkcs11:token=Sigil%20HSM;object=idopte-signing;type=private;id=%01%ff;serial=42?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:/run/secrets/pin',
      ),
    ).toEqual({
      token: 'Sigil HSM',
      object: 'idopte-signing',
      type: 'private',
      id: Uint8Array.of(0x01, 0xff),
      serial: '42',
      modulePath: '/usr/lib/softhsm/libsofthsm2.so',
      pinSource: 'file:/run/secrets/pin',
    });
  });

  it('decodes percent-encoded UTF-8 labels, manufacturer, model and slot-id', () => {
    expect(parsePkcs11Uri('pkcs11:token=%C3%A9t%C3%A9;manufacturer=Snake%20Oil%2C%20Inc.;model=v1;slot-id=7;object=a%3Bb')).toEqual({
      token: 'été',
      manufacturer: 'Snake Oil, Inc.',
      model: 'v1',
      slotId: 7n,
      object: 'a;b',
    });
  });

  it('accepts an empty path and pin-value, and vendor query attributes', () => {
    expect(parsePkcs11Uri('pkcs11:')).toEqual({});
    expect(parsePkcs11Uri('PKCS11:object=k?pin-value=12%2634&x-vendor=1')).toEqual({ object: 'k', pinValue: '12&34' });
  });

  it('refuses other schemes, fragments and malformed attributes', () => {
    for (const uri of [
      'pkcs12:object=k',
      'object=k',
      'pkcs11:object=k#frag',
      'pkcs11:object',
      'pkcs11:=k',
      'pkcs11:object=k;;token=t',
      'pkcs11:object=%zz',
      'pkcs11:object=%4',
      'pkcs11:slot-id=abc',
    ]) {
      expect(() => parsePkcs11Uri(uri)).toThrow(invalid);
    }
  });

  it('refuses repeated attributes and attributes it would have to ignore', () => {
    expect(() => parsePkcs11Uri('pkcs11:object=a;object=b')).toThrow(invalid);
    expect(() => parsePkcs11Uri('pkcs11:object=a?pin-value=1&pin-value=2')).toThrow(invalid);
    expect(() => parsePkcs11Uri('pkcs11:object=a;library-description=x')).toThrow(invalid);
    expect(() => parsePkcs11Uri('pkcs11:object=a;x-vendor=1')).toThrow(invalid);
    expect(() => parsePkcs11Uri('pkcs11:object=a?module-name=softhsm2')).toThrow(invalid);
    expect(() => parsePkcs11Uri('pkcs11:object=a?pin-value=1&pin-source=file:/p')).toThrow(invalid);
  });

  it('never puts a PIN into an error message', () => {
    try {
      parsePkcs11Uri('pkcs11:object=a?pin-value=s3cret&pin-value=s3cret');
      throw new Error('expected a failure');
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('s3cret');
    }
  });
});
