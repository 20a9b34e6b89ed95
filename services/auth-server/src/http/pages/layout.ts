import { createHash } from 'node:crypto';
import { html, trustedHtml, type SafeHtml } from './html.js';

/** A page: its title, body, and where its forms may go (and be redirected to). */
export interface Page {
  readonly title: string;
  readonly body: SafeHtml;
  /** Origins besides this one that a form on the page leads to (CSP `form-action` also governs redirects after a submit). */
  readonly formOrigins?: readonly string[];
}

// One stylesheet, inline, allowed by its hash: no external assets, no script.
const STYLE = `
:root{color-scheme:light dark;--fg:#1b1f24;--bg:#f6f7f9;--card:#fff;--muted:#57606a;--accent:#0b57d0;--accent-fg:#fff;--error:#b3261e;--border:#d0d7de}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--card:#161b22;--muted:#9da7b3;--accent:#4f8ff7;--accent-fg:#0d1117;--error:#ff8a80;--border:#30363d}}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:28rem;margin:2rem auto;padding:1.5rem;background:var(--card);border:1px solid var(--border);border-radius:.75rem}
@media (max-width:32rem){main{margin:0;border-radius:0;border-width:0 0 1px;min-height:100vh}}
h1{font-size:1.5rem;margin:0 0 1rem}
p{margin:.5rem 0 1rem}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input[type=text],input[type=password],input[type=email]{width:100%;padding:.65rem .75rem;font:inherit;color:inherit;background:transparent;border:1px solid var(--border);border-radius:.5rem}
input[aria-invalid=true]{border-color:var(--error)}
.hint{color:var(--muted);font-size:.875rem;margin:.25rem 0 0}
.field-error{color:var(--error);font-size:.875rem;margin:.25rem 0 0}
.alert{padding:.75rem 1rem;border:1px solid var(--error);border-radius:.5rem;color:var(--error);margin:0 0 1rem}
.notice{padding:.75rem 1rem;border:1px solid var(--border);border-radius:.5rem;margin:0 0 1rem}
button,.button{display:inline-block;width:100%;margin:1rem 0 0;padding:.7rem 1rem;font:inherit;font-weight:600;text-align:center;text-decoration:none;border-radius:.5rem;border:1px solid var(--accent);background:var(--accent);color:var(--accent-fg);cursor:pointer}
button.secondary,.button.secondary{background:transparent;color:var(--accent)}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
a{color:var(--accent)}
ul.plain{list-style:none;padding:0;margin:0}
ul.plain li{padding:.75rem 0;border-top:1px solid var(--border)}
.row{display:flex;gap:.75rem;flex-wrap:wrap;align-items:center;justify-content:space-between}
.row form{flex:0 0 auto}
.row button{width:auto;margin:0}
.divider{display:flex;align-items:center;gap:.5rem;color:var(--muted);margin:1.25rem 0 0}
.divider::before,.divider::after{content:"";flex:1;border-top:1px solid var(--border)}
footer{margin-top:1.5rem;color:var(--muted);font-size:.875rem}
`;

const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

function sourceList(origins: readonly string[] | undefined): string {
  const list = new Set(["'self'"]);
  for (const origin of origins ?? []) {
    // Only http(s) origins, as the CSP grammar has them: nothing else can reach the header.
    if (/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(origin)) list.add(origin);
  }
  return [...list].join(' ');
}

/**
 * The policy of every page: nothing loads but the inline stylesheet named by
 * its hash; no script at all; forms only to this origin and the ones the page
 * declares; never framed.
 */
export function pageContentSecurityPolicy(page: Pick<Page, 'formOrigins'>): string {
  return [
    "default-src 'none'",
    `style-src ${STYLE_HASH}`,
    "img-src 'self'",
    `form-action ${sourceList(page.formOrigins)}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function renderPage(page: Page): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${page.title} · Sigil</title>
<style>${trustedHtml(STYLE)}</style>
</head>
<body>
<main>
${page.body}
</main>
</body>
</html>
`.value;
}

/** The origin of a URL, or undefined when it has none worth listing. */
export function originOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const { origin, protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:' ? origin : undefined;
  } catch {
    return undefined;
  }
}
