import { randomBytes } from 'node:crypto';

/** A device ("client") id: 64 random bits, lowercase hex. */
export const DEVICE_ID_PATTERN = /^[0-9a-f]{1,16}$/;

export function newDeviceId(): string {
  return randomBytes(8).toString('hex');
}

const UUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

/** Every request of a user's device names the user: their segment is worked out once (a pure function, bounded). */
const segments = new Map<string, string>();
const SEGMENTS_MAX = 10_000;

/** The 16 bytes of a UUID, base64url without padding: the user part of a client id URI. */
export function userIdSegment(userId: string): string {
  let segment = segments.get(userId);
  if (segment === undefined) {
    if (!UUID.test(userId)) throw new TypeError('a user id must be a UUID');
    segment = Buffer.from(userId.replaceAll('-', ''), 'hex').toString('base64url');
    if (segments.size >= SEGMENTS_MAX) segments.clear();
    segments.set(userId, segment);
  }
  return segment;
}

/** `wireapp://{base64url(user UUID bytes)}!{client id hex}@{domain}`: the device's identity. */
export function clientIdUri(userId: string, deviceId: string, domain: string): string {
  return `wireapp://${userIdSegment(userId)}!${deviceId}@${domain}`;
}

/** `wireapp://%40{handle}@{domain}`: the user's handle as a URI. */
export function handleUri(handle: string, domain: string): string {
  return `wireapp://%40${handle}@${domain}`;
}
