import type { RegistrationField } from '../../domain/account.js';
import { PASSWORD_MIN_LENGTH } from '../../domain/password-policy.js';
import { csrfField, textField } from './form-fields.js';
import { html } from './html.js';
import type { Page } from './layout.js';

export interface RegisterPageOptions {
  readonly clientName: string;
  readonly action: string;
  readonly csrf: string;
  readonly loginUrl: string;
  readonly values?: Partial<Record<'username' | 'displayName' | 'email', string>>;
  readonly errors?: Partial<Record<RegistrationField, string>>;
  readonly error?: string | undefined;
  readonly formOrigins: readonly string[];
}

export function registerPage(options: RegisterPageOptions): Page {
  const errors = options.errors ?? {};
  const values = options.values ?? {};
  const count = Object.keys(errors).length;
  return {
    title: 'Create an account',
    formOrigins: options.formOrigins,
    body: html`<h1>Create an account</h1>
<p>to continue to <strong>${options.clientName}</strong></p>
${options.error ? html`<div class="alert" role="alert">${options.error}</div>` : ''}
${count > 0 ? html`<div class="alert" role="alert">Please correct ${count === 1 ? 'the field' : `the ${count} fields`} marked below.</div>` : ''}
<form method="post" action="${options.action}" novalidate>
${csrfField(options.csrf)}
${textField({ name: 'username', label: 'User name', autocomplete: 'username', value: values.username, error: errors.username, hint: 'Lowercase letters, digits, dots, dashes and underscores.', required: true, autofocus: true, maxLength: 32 })}
${textField({ name: 'displayName', label: 'Display name', autocomplete: 'name', value: values.displayName, error: errors.displayName, required: true, maxLength: 64 })}
${textField({ name: 'email', label: 'E-mail (optional)', type: 'email', autocomplete: 'email', value: values.email, error: errors.email, maxLength: 254 })}
${textField({ name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password', error: errors.password, hint: `At least ${PASSWORD_MIN_LENGTH} characters, not your user name.`, required: true, maxLength: 1024 })}
${textField({ name: 'passwordConfirmation', label: 'Repeat the password', type: 'password', autocomplete: 'new-password', error: errors.passwordConfirmation, required: true, maxLength: 1024 })}
<button type="submit">Create account</button>
</form>
<p>Already have an account? <a href="${options.loginUrl}">Sign in</a></p>`,
  };
}
