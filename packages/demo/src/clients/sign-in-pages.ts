import { randomBytes } from 'node:crypto';
import type { PageResponse, UserAgent } from '@sigil/testkit';
import { check, expectPage } from '../runner/checks.js';

/** A user the demo registers: a fresh name each run, a password nobody sees. */
export interface NewUser {
  readonly username: string;
  readonly displayName: string;
  readonly email: string;
  readonly password: string;
}

/** A user with a fresh name (`ada-1f2e3d`), or with the name chosen beforehand (one a service's settings already name). */
export function newUser(firstName: string, username = `${firstName.toLowerCase()}-${randomBytes(3).toString('hex')}`): NewUser {
  return {
    username,
    displayName: `${firstName} ${username.slice(-6).toUpperCase()}`,
    email: `${username}@example.test`,
    password: `pw-${randomBytes(18).toString('base64url')}`,
  };
}

/** The login page an authorization request leads to (the browser follows auth-server's redirects). */
export async function openLoginPage(browser: UserAgent, authorizationUrl: URL): Promise<PageResponse> {
  const page = expectPage(await browser.navigate(authorizationUrl.href), 200, 'the login page');
  check(page.body.includes('action="/interaction/') && page.body.includes('name="password"'), 'the authorization request did not lead to the login page');
  return page;
}

/**
 * Follows the login page's "Create an account" link and submits the
 * registration form (with its CSRF token, as a browser without JavaScript
 * would); auth-server signs the new user in and the authorization goes on.
 */
export async function register(browser: UserAgent, loginPage: PageResponse, user: NewUser): Promise<PageResponse> {
  const link = /href="([^"]*\/register)"/.exec(loginPage.body)?.[1];
  check(link !== undefined, 'the login page offers no registration');
  const form = expectPage(await browser.navigate(new URL(link, loginPage.url).href), 200, 'the registration page');
  return browser.submit(form, '/register', {
    username: user.username,
    displayName: user.displayName,
    email: user.email,
    password: user.password,
    passwordConfirmation: user.password,
  });
}

/** The redirect back to the client that ends an authorization: the URL the client takes the code from. */
export function callbackOf(page: PageResponse, redirectUri: string): URL {
  const location = page.headers.get('location');
  if (location === null || !location.startsWith(redirectUri)) {
    expectPage(page, 303, `a redirect to ${redirectUri}`);
    throw new Error(`expected a redirect to ${redirectUri}, got one to ${location === null ? 'nowhere' : new URL(location, page.url).origin}`);
  }
  const url = new URL(location);
  const error = url.searchParams.get('error');
  check(error === null, `the authorization was refused: ${error} ${url.searchParams.get('error_description') ?? ''}`.trim());
  return url;
}
