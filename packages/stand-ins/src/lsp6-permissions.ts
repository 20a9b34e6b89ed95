// LSP6 (LUKSO's Key Manager standard) as a profile owner's wallet writes
// it: the ERC725Y data key holding a controller's permissions, and the
// permission bits. Written from the standard, independently of the
// ip-service's reader, so that each checks the other.

/** LSP6 permissions (bytes32 bitmaps). */
export const PERMISSIONS = {
  /** Every permission but DELEGATECALL / REENTRANCY and the like: what LUKSO gives a profile's main controller. */
  ALL: '0x7f3f7f',
  SIGN: '0x200000',
  /** CALL only: a controller that may act, but not sign. */
  CALL: '0x000800',
  NONE: '0x00',
} as const;

/** `AddressPermissions:Permissions:<address>`: bytes10 of the map's name, two zero bytes, the controller's 20 bytes (LSP2 Mapping). */
const PERMISSIONS_MAP_PREFIX = '0x4b80742de2bf82acb3630000';

/** The ERC725Y data key of a controller's permissions on a profile. */
export function permissionsDataKey(controller: string): string {
  return `${PERMISSIONS_MAP_PREFIX}${controller.toLowerCase().replace(/^0x/, '')}`;
}
