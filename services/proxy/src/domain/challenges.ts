/** RFC 6750 §3: error_description holds only %x20-21 / %x23-5B / %x5D-7E. */
function describe(text: string): string {
  return text.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '').slice(0, 200);
}

/** A Bearer challenge (RFC 6750 §3), with an error when a token was presented and refused. */
export function bearerChallenge(realm: string, error?: { code: string; description: string }): string {
  const parts = [`realm="${describe(realm)}"`];
  if (error) parts.push(`error="${error.code}"`, `error_description="${describe(error.description)}"`);
  return `Bearer ${parts.join(', ')}`;
}

/** A Basic challenge (RFC 7617 §2) for WebDAV clients using app passwords. */
export function basicChallenge(realm: string): string {
  return `Basic realm="${describe(realm)}", charset="UTF-8"`;
}

/** The `error_description` of a Bearer challenge an IdP answered with, if any. */
export function errorDescriptionOf(wwwAuthenticate: string | null | undefined): string | undefined {
  const match = /error_description="((?:[^"\\]|\\.)*)"/i.exec(wwwAuthenticate ?? '');
  return match ? describe(match[1]!.replace(/\\(.)/g, '$1')) : undefined;
}
