import { html } from './html.js';
import type { Page } from './layout.js';

/** What went wrong, in words for the user; codes and descriptions come from the protocol and are escaped. */
export function errorPage(options: { title: string; message: string; code?: string | undefined; detail?: string | undefined }): Page {
  return {
    title: options.title,
    body: html`<h1>${options.title}</h1>
<p role="alert">${options.message}</p>
${options.code === undefined ? '' : html`<p class="hint">Error: <code>${options.code}</code>${options.detail === undefined ? '' : html` — ${options.detail}`}</p>`}
<footer>You can close this page and start again from the application.</footer>`,
  };
}
