import type { ExternalLink } from '../../store/external-links.js';
import { csrfField } from './form-fields.js';
import { html } from './html.js';
import type { Page } from './layout.js';

export interface AccountProviderEntry {
  readonly id: string;
  readonly name: string;
  readonly link: ExternalLink | undefined;
  /** Whether tokens are held for backends (false once the provider revoked them). */
  readonly tokensHeld: boolean;
  /** The form to link or unlink, and its CSRF token. */
  readonly action: string;
  readonly csrf: string;
}

export interface AccountPageOptions {
  readonly displayName: string;
  readonly username: string;
  readonly email: string | null;
  readonly providers: readonly AccountProviderEntry[];
  readonly notice?: string | undefined;
  readonly error?: string | undefined;
  readonly formOrigins: readonly string[];
}

/** "Your linked accounts": the signed-in user, each external provider with Link or Unlink, and sign-out. */
export function accountPage(options: AccountPageOptions): Page {
  return {
    title: 'Your account',
    formOrigins: options.formOrigins,
    body: html`<h1>Your account</h1>
${options.notice ? html`<div class="notice" role="status">${options.notice}</div>` : ''}
${options.error ? html`<div class="alert" role="alert">${options.error}</div>` : ''}
<p><strong>${options.displayName}</strong><br>${options.username}${options.email === null ? '' : html` · ${options.email}`}</p>
<h2>Linked accounts</h2>
${options.providers.length === 0 ? html`<p>No external providers are configured.</p>` : ''}
<ul class="plain">
${options.providers.map(
  (provider) => html`<li class="row"><span><strong>${provider.name}</strong><br>${
    provider.link === undefined
      ? 'Not linked'
      : html`Linked as ${provider.link.username ?? provider.link.displayName ?? provider.link.subject}${provider.tokensHeld ? '' : html` <em>(access was revoked; link again)</em>`}`
  }</span>
<form method="post" action="${provider.action}">${csrfField(provider.csrf)}<button type="submit"${provider.link === undefined ? '' : html` class="secondary"`}>${
    provider.link === undefined ? `Link ${provider.name}` : `Unlink ${provider.name}`
  }</button></form></li>`,
)}
</ul>
<p><a href="/session/end">Sign out</a></p>`,
  };
}
