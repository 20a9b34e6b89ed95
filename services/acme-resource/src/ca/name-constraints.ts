import { x509 } from '../x509.js';

export const NAME_CONSTRAINTS_OID = '2.5.29.30';

/** DER TLV with a definite length (X.690 §8.1.3). */
function tlv(tag: number, content: Buffer): Buffer {
  const length = content.length;
  let header: Buffer;
  if (length < 0x80) header = Buffer.from([tag, length]);
  else if (length < 0x100) header = Buffer.from([tag, 0x81, length]);
  else header = Buffer.from([tag, 0x82, length >> 8, length & 0xff]);
  return Buffer.concat([header, content]);
}

/**
 * RFC 5280 §4.2.1.10 nameConstraints, critical, permitting only URIs whose
 * host is `domain` (a URI constraint without a leading period names exactly
 * that host):
 *
 *   NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees }
 *   GeneralSubtree  ::= SEQUENCE { base GeneralName }   -- uniformResourceIdentifier [6] IA5String
 */
export function uriNameConstraints(domain: string): x509.Extension {
  const uri = tlv(0x86, Buffer.from(domain, 'ascii'));
  const subtree = tlv(0x30, uri);
  const permitted = tlv(0xa0, subtree);
  const constraints = tlv(0x30, permitted);
  return new x509.Extension(NAME_CONSTRAINTS_OID, true, new Uint8Array(constraints));
}
