import { html, trustedHtml } from './html.js';
import type { Page } from './layout.js';

/**
 * RP-initiated logout (OIDC RP-Initiated Logout 1.0 §2): the confirmation.
 * `form` is oidc-provider's hidden form (action and its own XSRF token); the
 * buttons submit it through their `form` attribute, so no script is needed.
 */
export function logoutPage(options: { form: string; clientName: string | undefined; formOrigins: readonly string[] }): Page {
  return {
    title: 'Sign out',
    formOrigins: options.formOrigins,
    body: html`<h1>Sign out?</h1>
<p>${options.clientName === undefined ? 'Do you want to sign out of Sigil?' : `${options.clientName} asks you to sign out of Sigil.`}</p>
${trustedHtml(options.form)}
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Yes, sign me out</button>
<button type="submit" form="op.logoutForm" class="secondary">No, stay signed in</button>`,
  };
}

export function signedOutPage(options: { clientName: string | undefined }): Page {
  return {
    title: 'Signed out',
    body: html`<h1>You are signed out</h1>
<p>${options.clientName === undefined ? 'Your Sigil session has ended.' : `You have signed out of Sigil and ${options.clientName}.`}</p>
<p><a href="/account">Sign in again</a></p>`,
  };
}
