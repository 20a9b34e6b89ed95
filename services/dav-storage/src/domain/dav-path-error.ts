/** Why a request path or `Destination` was refused; the codes are stable. */
export type DavPathErrorCode =
  /** Not under the mount path. */
  | 'outside-mount'
  /** A segment that is `.` or `..`, or that decodes to a separator or NUL, or bad percent-encoding. */
  | 'malformed-path'
  /** `Destination` names another server or URL namespace (RFC 4918 §9.8.5, §9.9.4). */
  | 'foreign-destination';

export class DavPathError extends Error {
  override readonly name = 'DavPathError';

  constructor(
    readonly code: DavPathErrorCode,
    message: string,
  ) {
    super(message);
  }
}
