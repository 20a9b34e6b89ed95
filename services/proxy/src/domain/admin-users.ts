/**
 * One entry of `PROXY_ADMIN_USERS`: a `preferred_username` (OIDC Core §5.1)
 * at a named issuer, or at the first trusted issuer when none is named.
 */
export interface AdminUserEntry {
  /** The issuer named by `<issuer>|<username>`, without a trailing slash; undefined for a bare `<username>`. */
  readonly issuer: string | undefined;
  readonly username: string;
}

/** Issuer URLs the way the issuer settings read them: http(s), no trailing slash. */
function issuerUrl(text: string, entry: string): string {
  if (text === '') throw new Error(`"${entry}" names no issuer before the "|"`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`"${entry}": "${text}" is not an issuer URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`"${entry}": the issuer must be an http(s) URL`);
  return text.replace(/\/+$/, '');
}

function parseAdminUser(entry: string): AdminUserEntry {
  const parts = entry.split('|').map((part) => part.trim());
  if (parts.length > 2) throw new Error(`"${entry}" is not <username> or <issuer>|<username>`);
  const username = parts.at(-1)!;
  if (username === '') throw new Error(`"${entry}" names no username`);
  if (/\s/.test(username)) throw new Error(`"${entry}": a username holds no spaces (entries are separated by commas)`);
  return { issuer: parts.length === 2 ? issuerUrl(parts[0]!, entry) : undefined, username };
}

/** Parses `PROXY_ADMIN_USERS`: comma-separated `<username>` or `<issuer>|<username>`; duplicates are dropped. */
export function parseAdminUsers(text: string): AdminUserEntry[] {
  const entries = new Map<string, AdminUserEntry>();
  for (const item of text.split(',').map((part) => part.trim()).filter(Boolean)) {
    const entry = parseAdminUser(item);
    entries.set(`${entry.issuer ?? ''}|${entry.username}`, entry);
  }
  return [...entries.values()];
}
