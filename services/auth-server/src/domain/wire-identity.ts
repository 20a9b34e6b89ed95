import { randomBytes } from 'node:crypto';

/** A device ("client") id: 64 random bits, lowercase hex. */
export const DEVICE_ID_PATTERN = /^[0-9a-f]{1,16}$/;

export function newDeviceId(): string {
  return randomBytes(8).toString('hex');
}

/** The 16 bytes of a UUID, base64url without padding: the user part of a client id URI. */
export function userIdSegment(userId: string): string {
  const hex = userId.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new TypeError('a user id must be a UUID');
  return Buffer.from(hex, 'hex').toString('base64url');
}

/** `wireapp://{base64url(user UUID bytes)}!{client id hex}@{domain}`: the device's identity. */
export function clientIdUri(userId: string, deviceId: string, domain: string): string {
  return `wireapp://${userIdSegment(userId)}!${deviceId}@${domain}`;
}

/** `wireapp://%40{handle}@{domain}`: the user's handle as a URI. */
export function handleUri(handle: string, domain: string): string {
  return `wireapp://%40${handle}@${domain}`;
}
