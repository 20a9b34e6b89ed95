import { csrfField } from './form-fields.js';
import { html } from './html.js';
import type { Page } from './layout.js';

const SCOPE_DESCRIPTIONS: Record<string, string> = {
  openid: 'Know which Sigil account is yours',
  profile: 'Your display name and user name',
  email: 'Your e-mail address',
  groups: 'The groups you belong to',
  team: 'Your team and handle',
  offline_access: 'Keep access while you are not using it',
};

export interface ConsentPageOptions {
  readonly clientName: string;
  readonly accountName: string;
  readonly scopes: readonly string[];
  readonly claims: readonly string[];
  /** Resource indicator → scopes asked for there. */
  readonly resourceScopes: Readonly<Record<string, readonly string[]>>;
  readonly action: string;
  readonly csrf: string;
  readonly formOrigins: readonly string[];
}

/** What the application asks for, in words, with Allow and Deny (OIDC Core §3.1.2.4). */
export function consentPage(options: ConsentPageOptions): Page {
  const resources = Object.entries(options.resourceScopes);
  return {
    title: 'Allow access',
    formOrigins: options.formOrigins,
    body: html`<h1>Allow ${options.clientName}?</h1>
<p>Signed in as <strong>${options.accountName}</strong>. <strong>${options.clientName}</strong> asks to:</p>
<ul>
${options.scopes.map((scope) => html`<li>${SCOPE_DESCRIPTIONS[scope] ?? `Use the scope “${scope}”`}</li>`)}
${options.claims.length > 0 ? html`<li>Read these details: ${options.claims.join(', ')}</li>` : ''}
${resources.map(([resource, scopes]) => html`<li>Act for you at <code>${resource}</code> (${scopes.join(', ')})</li>`)}
</ul>
<form method="post" action="${options.action}">
${csrfField(options.csrf)}
<button type="submit" name="decision" value="allow" autofocus>Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</form>`,
  };
}
