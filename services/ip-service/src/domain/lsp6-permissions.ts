/**
 * LSP6 Key Manager permissions, as a Universal Profile stores them in its
 * ERC725Y storage (LSP6 "ERC725Y Data Keys"): the data key
 * `AddressPermissions:Permissions:<address>` is the 12-byte prefix
 * 0x4b80742de2bf82acb3630000 (bytes10 of keccak256("AddressPermissions"),
 * then two zero bytes) followed by the 20-byte address; its value is a
 * bytes32 bitmap.
 */
const PERMISSIONS_KEY_PREFIX = '0x4b80742de2bf82acb3630000';

/** LSP6 `SIGN`: the controller may sign on behalf of the profile (ERC1271). */
export const SIGN_PERMISSION = 0x200000n;

/** The ERC725Y data key holding `address`'s permissions. */
export function permissionsDataKey(address: string): string {
  return `${PERMISSIONS_KEY_PREFIX}${address.slice(2).toLowerCase()}`;
}

/**
 * Whether a permissions value (the bytes `getData` returned, 0x-hex) has the
 * SIGN bit. Like the Key Manager, only a value of exactly 32 bytes is a
 * permissions bitmap; anything else (empty, shorter, longer) grants nothing.
 */
export function hasSignPermission(value: string): boolean {
  if (!/^0x[0-9a-fA-F]{64}$/.test(value)) return false;
  return (BigInt(value) & SIGN_PERMISSION) !== 0n;
}
