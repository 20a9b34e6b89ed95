import { Pkcs11Error } from './errors.js';

/**
 * A parsed `pkcs11:` URI (RFC 7512), reduced to what a signer needs: which
 * token, which private key on it, which module, and where the PIN comes from.
 */
export interface Pkcs11Uri {
  /** Token label (`token`, CK_TOKEN_INFO.label). */
  token?: string;
  /** Token manufacturer, model and serial number (CK_TOKEN_INFO). */
  manufacturer?: string;
  model?: string;
  serial?: string;
  /** Slot identifier (`slot-id`, RFC 7512 §2.3: a decimal CK_SLOT_ID). */
  slotId?: bigint;
  /** Key label (`object`, CKA_LABEL). */
  object?: string;
  /** Key identifier (`id`, CKA_ID), raw bytes. */
  id?: Uint8Array;
  /** Object class (`type`); a signer accepts only `private`. */
  type?: string;
  /** Path of the PKCS#11 module (`module-path` query attribute). */
  modulePath?: string;
  /** Where the PIN is: `file:/path`, `file:///path`, or this package's `env:NAME` extension. */
  pinSource?: string;
  /** The PIN itself (`pin-value`, RFC 7512 §2.3; keep such URIs out of logs). */
  pinValue?: string;
}

const SCHEME = 'pkcs11:';

/** Path attributes this package matches on; other RFC 7512 ones would be silently widened, so they are refused. */
const PATH_ATTRIBUTES = new Set(['token', 'manufacturer', 'model', 'serial', 'slot-id', 'object', 'id', 'type']);
const QUERY_ATTRIBUTES = new Set(['module-path', 'module-name', 'pin-source', 'pin-value']);

/**
 * Parses a `pkcs11:` URI. Values are percent-decoded (RFC 7512 §2.3); `id`
 * stays bytes, everything else is read as UTF-8. A repeated attribute, an
 * unknown or unsupported path attribute, or a malformed escape is refused
 * with `ERR_PKCS11_URI_INVALID`.
 */
export function parsePkcs11Uri(uri: string): Pkcs11Uri {
  if (!uri.toLowerCase().startsWith(SCHEME)) throw invalid('it does not start with "pkcs11:"');
  const rest = uri.slice(SCHEME.length);
  if (rest.includes('#')) throw invalid('a PKCS#11 URI has no fragment');
  const queryStart = rest.indexOf('?');
  const path = queryStart === -1 ? rest : rest.slice(0, queryStart);
  const query = queryStart === -1 ? '' : rest.slice(queryStart + 1);

  const parsed: Pkcs11Uri = {};
  for (const [name, value] of attributes(path, ';', 'path')) applyPathAttribute(parsed, name, value);
  const queryAttributes = attributes(query, '&', 'query');
  for (const [name, value] of queryAttributes) applyQueryAttribute(parsed, name, value);

  if (queryAttributes.has('module-name') && parsed.modulePath === undefined) {
    throw invalid('"module-name" is not supported; give the module with "module-path"');
  }
  if (parsed.pinSource !== undefined && parsed.pinValue !== undefined) {
    throw invalid('"pin-source" and "pin-value" are exclusive');
  }
  return parsed;
}

function attributes(part: string, separator: string, kind: 'path' | 'query'): Map<string, Uint8Array> {
  const found = new Map<string, Uint8Array>();
  if (part === '') return found;
  for (const attribute of part.split(separator)) {
    const equals = attribute.indexOf('=');
    if (equals <= 0) throw invalid(`malformed ${kind} attribute "${attributeName(attribute)}"`);
    const name = attribute.slice(0, equals).toLowerCase();
    const known = kind === 'path' ? PATH_ATTRIBUTES : QUERY_ATTRIBUTES;
    // Vendor query attributes (x-…) only tune access; any other unknown attribute could change what matches.
    if (!known.has(name) && !(kind === 'query' && name.startsWith('x-'))) {
      throw invalid(`unsupported ${kind} attribute "${name}"`);
    }
    // An attribute given twice is ambiguous; refuse rather than pick one.
    if (found.has(name)) throw invalid(`attribute "${name}" appears twice`);
    found.set(name, percentDecode(attribute.slice(equals + 1)));
  }
  return found;
}

function applyPathAttribute(parsed: Pkcs11Uri, name: string, value: Uint8Array): void {
  const text = Buffer.from(value).toString('utf8');
  switch (name) {
    case 'token':
      parsed.token = text;
      break;
    case 'manufacturer':
      parsed.manufacturer = text;
      break;
    case 'model':
      parsed.model = text;
      break;
    case 'serial':
      parsed.serial = text;
      break;
    case 'slot-id':
      if (!/^\d+$/.test(text)) throw invalid('"slot-id" must be a decimal number');
      parsed.slotId = BigInt(text);
      break;
    case 'object':
      parsed.object = text;
      break;
    case 'id':
      parsed.id = value;
      break;
    case 'type':
      parsed.type = text;
      break;
  }
}

function applyQueryAttribute(parsed: Pkcs11Uri, name: string, value: Uint8Array): void {
  const text = Buffer.from(value).toString('utf8');
  switch (name) {
    case 'module-path':
      parsed.modulePath = text;
      break;
    case 'pin-source':
      parsed.pinSource = text;
      break;
    case 'pin-value':
      parsed.pinValue = text;
      break;
  }
}

/** RFC 3986 §2.1 percent-decoding to bytes (an `id` is binary, so no UTF-8 decoding here). */
function percentDecode(value: string): Uint8Array {
  const parts: Buffer[] = [];
  for (const piece of value.split(/(%[0-9a-fA-F]{2})/)) {
    if (/^%[0-9a-fA-F]{2}$/.test(piece)) parts.push(Buffer.from(piece.slice(1), 'hex'));
    else if (piece.includes('%')) throw invalid('malformed percent-encoding');
    else parts.push(Buffer.from(piece, 'utf8'));
  }
  return Buffer.concat(parts);
}

/** Only the attribute name goes into messages: values may be PINs. */
function attributeName(attribute: string): string {
  return attribute.split('=')[0] ?? '';
}

function invalid(reason: string): Pkcs11Error {
  return new Pkcs11Error('ERR_PKCS11_URI_INVALID', `invalid pkcs11: URI: ${reason}`);
}
