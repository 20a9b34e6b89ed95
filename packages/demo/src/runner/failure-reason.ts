/** Error codes worth naming: a refused connection says more than "fetch failed". */
function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Why a step failed, in one line, from whatever the client library threw:
 * an OAuth error (openid-client), a status (webdav), a refused connection
 * (the `cause` of fetch's "fetch failed"), or our own checks' messages.
 */
export function failureReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const oauth = error as Error & { error?: unknown; error_description?: unknown; status?: unknown };
  if (typeof oauth.error === 'string') {
    const description = typeof oauth.error_description === 'string' ? `: ${oauth.error_description}` : '';
    return `${oauth.error}${description}${typeof oauth.status === 'number' ? ` (HTTP ${oauth.status})` : ''}`;
  }
  const cause = codeOf(error.cause) ?? codeOf((error.cause as { cause?: unknown } | undefined)?.cause);
  const message = error.message.split('\n')[0]!;
  return cause !== undefined && !message.includes(cause) ? `${message} (${cause})` : message;
}
