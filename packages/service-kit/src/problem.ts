/**
 * An error that is also an RFC 7807 problem: thrown anywhere in a service and
 * turned into an `application/problem+json` response in exactly one place
 * (the error handler of the service's protocol). `code` is stable and names
 * the problem in Sigil's own vocabulary; `type` is its URI.
 */
export class Problem extends Error {
  readonly status: number;
  readonly code: string;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  /** Extra members of the problem document (RFC 7807 §3.2). */
  readonly extensions: Readonly<Record<string, unknown>>;
  /** Headers the response must carry (`Retry-After`, `WWW-Authenticate`, …). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: string,
    title: string,
    options: {
      detail?: string;
      type?: string;
      extensions?: Record<string, unknown>;
      headers?: Record<string, string>;
      cause?: unknown;
    } = {},
  ) {
    super(options.detail ?? title, { cause: options.cause });
    this.name = 'Problem';
    this.status = status;
    this.code = code;
    this.title = title;
    this.detail = options.detail;
    this.type = options.type ?? `urn:sigil:problem:${code}`;
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
  }

  /** The problem document, as it goes on the wire. */
  toJSON(): Record<string, unknown> {
    const body: Record<string, unknown> = { type: this.type, title: this.title, status: this.status };
    if (this.detail !== undefined) body.detail = this.detail;
    return { ...body, ...this.extensions };
  }
}

export const badRequest = (detail: string, extensions?: Record<string, unknown>) =>
  new Problem(400, 'bad-request', 'Bad Request', { detail, ...(extensions ? { extensions } : {}) });

export const notFound = (detail = 'No resource at this path') => new Problem(404, 'not-found', 'Not Found', { detail });

export const unauthorized = (detail: string, headers?: Record<string, string>) =>
  new Problem(401, 'unauthorized', 'Unauthorized', { detail, ...(headers ? { headers } : {}) });

export const forbidden = (detail: string) => new Problem(403, 'forbidden', 'Forbidden', { detail });

export const serviceUnavailable = (detail: string, retryAfterSeconds = 1) =>
  new Problem(503, 'service-unavailable', 'Service Unavailable', {
    detail,
    headers: { 'retry-after': String(retryAfterSeconds) },
  });
