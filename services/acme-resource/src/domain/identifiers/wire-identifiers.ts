// The Wire device-identity identifier types: `wireapp-user` ({name, domain,
// handle}) and `wireapp-device` ({name, domain, client-id, handle}), each a
// JSON object in a string. An order holds exactly one of each, naming the
// same user.
import { acmeError, type Subproblem } from '../../acme/acme-problem.js';
import type { Identifier } from '../../acme/wire-types.js';
import type { AcceptedIdentifier, IdentifierPolicy, IdentifierType } from './identifier-types.js';

export const WIRE_USER = 'wireapp-user';
export const WIRE_DEVICE = 'wireapp-device';

/** Whether a certificate is a Wire device certificate (issued by the Wire intermediate, so on its CRL). */
export function isWireCertificate(certificate: { readonly identifiers: readonly Identifier[] }): boolean {
  return certificate.identifiers.some((identifier) => identifier.type === WIRE_DEVICE);
}

/** What a `wireapp-user` identifier says. */
export interface WireUser {
  /** The display name. */
  readonly name: string;
  readonly domain: string;
  /** The handle URI, `wireapp://%40{handle}@{domain}`. */
  readonly handle: string;
}

/** What a `wireapp-device` identifier says. */
export interface WireDevice extends WireUser {
  /** The client id URI, `wireapp://{user id, base64url}!{client id hex}@{domain}`. */
  readonly clientId: string;
  /** The client id alone (hex), for the device's access-token URL. */
  readonly deviceId: string;
}

const HANDLE_URI = /^wireapp:\/\/%40([a-z0-9._-]{1,256})@([a-z0-9.-]{1,253})$/;
const CLIENT_ID_URI = /^wireapp:\/\/([A-Za-z0-9_-]{22})!([0-9a-f]{1,16})@([a-z0-9.-]{1,253})$/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

function refuse(identifier: Identifier, type: Subproblem['type'], detail: string): Subproblem {
  return { type, detail, identifier };
}

function parseObject(value: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The user part, shared by both types; a refusal says what is wrong. */
function readUser(identifier: Identifier, fields: Record<string, unknown>, policy: IdentifierPolicy): WireUser | Subproblem {
  const { name, domain, handle } = fields;
  if (typeof name !== 'string' || typeof domain !== 'string' || typeof handle !== 'string') {
    return refuse(identifier, 'malformed', 'name, domain and handle must be strings');
  }
  if (name === '' || name.length > 256 || CONTROL.test(name)) return refuse(identifier, 'malformed', 'the name is empty, too long or has control characters');
  if (policy.wireDomain === undefined) return refuse(identifier, 'rejectedIdentifier', 'this CA issues no Wire device identities');
  if (domain !== policy.wireDomain) return refuse(identifier, 'rejectedIdentifier', `this CA certifies Wire identities of ${policy.wireDomain} only`);
  const handleMatch = HANDLE_URI.exec(handle);
  if (handleMatch === null) return refuse(identifier, 'malformed', 'the handle must be wireapp://%40{handle}@{domain}');
  if (handleMatch[2] !== domain) return refuse(identifier, 'rejectedIdentifier', 'the handle is of another domain');
  return { name, domain, handle };
}

export function readWireUser(value: string): WireUser | undefined {
  const fields = parseObject(value);
  if (fields === undefined) return undefined;
  return { name: String(fields.name), domain: String(fields.domain), handle: String(fields.handle) };
}

export function readWireDevice(value: string): WireDevice | undefined {
  const fields = parseObject(value);
  const clientId = fields?.['client-id'];
  if (fields === undefined || typeof clientId !== 'string') return undefined;
  const match = CLIENT_ID_URI.exec(clientId);
  if (match === null) return undefined;
  return { name: String(fields.name), domain: String(fields.domain), handle: String(fields.handle), clientId, deviceId: match[2]! };
}

function accepted(identifier: Identifier): AcceptedIdentifier {
  return { identifier, authorizationIdentifier: identifier, wildcard: false };
}

export const wireUserIdentifier: IdentifierType = {
  type: WIRE_USER,
  orderKind: 'wire',
  accept(value, policy) {
    const identifier = { type: WIRE_USER, value };
    const fields = parseObject(value);
    if (fields === undefined) return refuse(identifier, 'malformed', 'the value must be a JSON object {name, domain, handle}');
    const user = readUser(identifier, fields, policy);
    return 'detail' in user ? user : accepted(identifier);
  },
};

export const wireDeviceIdentifier: IdentifierType = {
  type: WIRE_DEVICE,
  orderKind: 'wire',
  accept(value, policy) {
    const identifier = { type: WIRE_DEVICE, value };
    const fields = parseObject(value);
    if (fields === undefined) return refuse(identifier, 'malformed', 'the value must be a JSON object {name, domain, client-id, handle}');
    const user = readUser(identifier, fields, policy);
    if ('detail' in user) return user;
    const clientId = fields['client-id'];
    const match = typeof clientId === 'string' ? CLIENT_ID_URI.exec(clientId) : null;
    if (match === null) return refuse(identifier, 'malformed', 'client-id must be wireapp://{user id}!{client id}@{domain}');
    if (match[3] !== user.domain) return refuse(identifier, 'rejectedIdentifier', 'the client id is of another domain');
    return accepted(identifier);
  },
};

/**
 * A Wire order holds exactly one `wireapp-user` and one `wireapp-device`
 * identifier, with the same name, domain and handle.
 */
export function checkWireOrder(identifiers: readonly AcceptedIdentifier[], requested: number): void {
  const users = identifiers.filter((item) => item.identifier.type === WIRE_USER);
  const devices = identifiers.filter((item) => item.identifier.type === WIRE_DEVICE);
  if (users.length !== 1 || devices.length !== 1 || identifiers.length !== 2 || requested !== 2) {
    throw acmeError.rejectedIdentifier('a Wire order holds exactly one wireapp-user and one wireapp-device identifier');
  }
  const user = readWireUser(users[0]!.identifier.value)!;
  const device = readWireDevice(devices[0]!.identifier.value)!;
  if (user.name !== device.name || user.domain !== device.domain || user.handle !== device.handle) {
    throw acmeError.rejectedIdentifier('the wireapp-user and wireapp-device identifiers name different users');
  }
}

/** The user and device of a Wire order (its identifiers were accepted at newOrder). */
export function wireOrderParties(identifiers: readonly Identifier[]): { user: WireUser; device: WireDevice } {
  const user = identifiers.find((item) => item.type === WIRE_USER);
  const device = identifiers.find((item) => item.type === WIRE_DEVICE);
  const parsedUser = user && readWireUser(user.value);
  const parsedDevice = device && readWireDevice(device.value);
  if (!parsedUser || !parsedDevice) throw new Error('not a Wire order');
  return { user: parsedUser, device: parsedDevice };
}
