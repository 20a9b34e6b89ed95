import type { PageResponse } from '@sigil/testkit';

/** A check of a step that did not hold: its message is the reason printed for the step. */
export class CheckFailed extends Error {
  override readonly name = 'CheckFailed';
}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailed(message);
}

/** What an error body says, briefly: a problem's type and detail, an OAuth error, or the start of the text. Never a token: error bodies carry none. */
export function bodySummary(contentType: string | null, text: string): string {
  if (contentType?.includes('json')) {
    try {
      const body = JSON.parse(text) as Record<string, unknown>;
      const parts = [body.type, body.title, body.detail, body.error, body.error_description, body.label, body.message, body.status]
        .filter((part): part is string => typeof part === 'string' && part !== '');
      if (parts.length > 0) return parts.join(' — ');
    } catch {
      // not JSON after all: fall through to the text
    }
  }
  if (contentType?.includes('html')) return pageSummary(text);
  return text.slice(0, 160).trim();
}

/** A page's heading and alert, which say what went wrong on it. */
export function pageSummary(html: string): string {
  const heading = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)?.[1];
  const alert = /role="alert"[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1];
  return [heading, alert]
    .filter((part): part is string => part !== undefined)
    .map((part) => part.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim())
    .join(': ');
}

/** Reads the response; unless its status is `expected`, fails with the status and what the body says. */
export async function expectStatus(response: Response, expected: number, what: string): Promise<string> {
  const text = await response.text();
  if (response.status !== expected) {
    throw new CheckFailed(`${what}: expected ${expected}, got ${response.status} ${bodySummary(response.headers.get('content-type'), text)}`);
  }
  return text;
}

/** Unless the page's status is `expected`, fails with the status and the page's heading and alert. */
export function expectPage(page: PageResponse, expected: number, what: string): PageResponse {
  if (page.status !== expected) {
    const where = page.headers.get('location');
    throw new CheckFailed(`${what}: expected ${expected}, got ${page.status}${where === null ? '' : ` to ${new URL(where, page.url).pathname}`} ${pageSummary(page.body)}`.trim());
  }
  return page;
}
