import type { KoaContextWithOIDC } from 'oidc-provider';
import { errorPage } from '../http/pages/error-page.js';
import { originOf, pageContentSecurityPolicy, renderPage, type Page } from '../http/pages/layout.js';
import { logoutPage, signedOutPage } from '../http/pages/logout-pages.js';

/** The pages oidc-provider renders itself, drawn with auth-server's templates and policy. */
export interface ProviderPages {
  renderError(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }, error: Error): Promise<void>;
  logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void>;
  postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void>;
}

function send(ctx: KoaContextWithOIDC, page: Page): void {
  ctx.type = 'html';
  ctx.set('content-security-policy', pageContentSecurityPolicy(page));
  ctx.set('cache-control', 'no-store');
  ctx.body = renderPage(page);
}

function clientName(ctx: KoaContextWithOIDC): string | undefined {
  const client = ctx.oidc?.client;
  return client === undefined ? undefined : (client.clientName ?? client.clientId);
}

export const providerPages: ProviderPages = {
  async renderError(ctx, out) {
    // Never a redirect to an unverified redirect_uri: oidc-provider renders this page instead (RFC 6749 §4.1.2.1).
    send(
      ctx,
      errorPage({
        title: 'Sign-in cannot continue',
        message: 'The request from the application could not be completed.',
        code: out.error,
        detail: out.error_description,
      }),
    );
  },
  async logoutSource(ctx, form) {
    const target = originOf(typeof ctx.oidc.params?.post_logout_redirect_uri === 'string' ? ctx.oidc.params.post_logout_redirect_uri : undefined);
    send(ctx, logoutPage({ form, clientName: clientName(ctx), formOrigins: target === undefined ? [] : [target] }));
  },
  async postLogoutSuccessSource(ctx) {
    send(ctx, signedOutPage({ clientName: clientName(ctx) }));
  },
};
