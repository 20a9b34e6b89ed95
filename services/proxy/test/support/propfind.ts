export interface Answer {
  status: number;
  headers: Headers;
  problem: Record<string, unknown> | undefined;
}

/** A PROPFIND Depth 0 of the home through a proxy replica, as a WebDAV client without a library would send it. */
export async function propfind(proxyUrl: string, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(`${proxyUrl}/dav/`, { method: 'PROPFIND', headers: { depth: '0', ...headers }, redirect: 'manual' });
  const text = await response.text();
  const problem = (response.headers.get('content-type') ?? '').startsWith('application/problem+json') ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  return { status: response.status, headers: response.headers, problem };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
