import { csrfField, textField } from './form-fields.js';
import { html } from './html.js';
import type { Page } from './layout.js';

export interface ExternalProviderButton {
  readonly id: string;
  readonly name: string;
  /** Where the button posts, and its CSRF token. */
  readonly action: string;
  readonly csrf: string;
}

export interface LoginPageOptions {
  readonly clientName: string;
  readonly action: string;
  readonly csrf: string;
  readonly abortAction: string;
  readonly abortCsrf: string;
  readonly username?: string | undefined;
  readonly error?: string | undefined;
  /** Link to registration, when it is open. */
  readonly registerUrl?: string | undefined;
  readonly externalProviders: readonly ExternalProviderButton[];
  readonly formOrigins: readonly string[];
}

export function loginPage(options: LoginPageOptions): Page {
  return {
    title: 'Sign in',
    formOrigins: options.formOrigins,
    body: html`<h1>Sign in</h1>
<p>to continue to <strong>${options.clientName}</strong></p>
${options.error ? html`<div class="alert" role="alert" id="login-error">${options.error}</div>` : ''}
<form method="post" action="${options.action}" novalidate>
${csrfField(options.csrf)}
${textField({ name: 'username', label: 'User name', autocomplete: 'username', value: options.username, required: true, autofocus: !options.username, maxLength: 64 })}
${textField({ name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', required: true, autofocus: Boolean(options.username), maxLength: 1024 })}
<button type="submit">Sign in</button>
</form>
${options.externalProviders.length > 0 ? html`<p class="divider">or</p>` : ''}
${options.externalProviders.map(
  (provider) => html`<form method="post" action="${provider.action}">${csrfField(provider.csrf)}<button type="submit" class="secondary">Sign in with ${provider.name}</button></form>`,
)}
${options.registerUrl ? html`<p>New here? <a href="${options.registerUrl}">Create an account</a></p>` : ''}
<form method="post" action="${options.abortAction}">${csrfField(options.abortCsrf)}<button type="submit" class="secondary">Cancel</button></form>`,
  };
}
