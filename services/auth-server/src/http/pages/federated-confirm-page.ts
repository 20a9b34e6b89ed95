import type { RegistrationField } from '../../domain/account.js';
import { csrfField, textField } from './form-fields.js';
import { html } from './html.js';
import type { Page } from './layout.js';

export interface FederatedConfirmPageOptions {
  readonly providerName: string;
  readonly clientName: string;
  readonly action: string;
  readonly csrf: string;
  readonly loginUrl: string;
  readonly values: { readonly username: string; readonly displayName: string; readonly email: string };
  readonly errors?: Partial<Record<RegistrationField, string>>;
  readonly formOrigins: readonly string[];
}

/** A first sign-in with an external provider: confirm the new account (the user may change the suggested details). */
export function federatedConfirmPage(options: FederatedConfirmPageOptions): Page {
  const errors = options.errors ?? {};
  return {
    title: 'Create your account',
    formOrigins: options.formOrigins,
    body: html`<h1>Create your account</h1>
<p>You signed in with <strong>${options.providerName}</strong> for the first time. Confirm the details of your new Sigil account to continue to <strong>${options.clientName}</strong>.</p>
${Object.keys(errors).length > 0 ? html`<div class="alert" role="alert">Please correct the fields marked below.</div>` : ''}
<form method="post" action="${options.action}" novalidate>
${csrfField(options.csrf)}
${textField({ name: 'username', label: 'User name', autocomplete: 'username', value: options.values.username, error: errors.username, hint: 'Lowercase letters, digits, dots, dashes and underscores.', required: true, autofocus: true, maxLength: 32 })}
${textField({ name: 'displayName', label: 'Display name', autocomplete: 'name', value: options.values.displayName, error: errors.displayName, required: true, maxLength: 64 })}
${textField({ name: 'email', label: 'E-mail (optional)', type: 'email', autocomplete: 'email', value: options.values.email, error: errors.email, maxLength: 254 })}
<button type="submit">Create account and continue</button>
</form>
<p>Already have a Sigil account? <a href="${options.loginUrl}">Sign in with it</a>, then link ${options.providerName} from your account page.</p>`,
  };
}
