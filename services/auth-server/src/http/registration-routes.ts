import { Router, type Request, type Response } from 'express';
import type Provider from 'oidc-provider';
import type { Interaction } from 'oidc-provider';
import { validateRegistration, type RegistrationField } from '../domain/account.js';
import { checkPasswordPolicy } from '../domain/password-policy.js';
import { AccountConflict, type AccountStore } from '../store/account-store.js';
import type { LoginAttempts } from '../store/login-attempts.js';
import type { CsrfGuard } from './csrf-guard.js';
import { formBody, formField } from './form-body.js';
import { clientOf, clientOrigins, interactionPath, loadInteraction } from './interaction-routes.js';
import { PageError, sendPage } from './page-response.js';
import { registerPage } from './pages/register-page.js';

export interface RegistrationDependencies {
  readonly provider: Provider;
  readonly csrf: CsrfGuard;
  readonly accounts: AccountStore;
  readonly attempts: LoginAttempts;
  hashPassword(password: string): Promise<string>;
  /** Team of newly registered accounts. */
  readonly teamId: string | null;
}

const CONFLICT_MESSAGES: Record<AccountConflict['field'], [RegistrationField, string]> = {
  username: ['username', 'This user name is taken; choose another.'],
  handle: ['username', 'This user name is taken; choose another.'],
  email: ['email', 'An account with this e-mail address exists already. Sign in instead.'],
};

async function signingIn(provider: Provider, req: Request, res: Response): Promise<Interaction> {
  const interaction = await loadInteraction(provider, req, res);
  if (interaction.prompt.name !== 'login') throw new PageError(400, 'not-signing-in', 'Already signed in', 'Go back to the application.');
  return interaction;
}

/**
 * Registration inside a sign-in interaction: a new local account, then the
 * user is signed in to it and the authorization continues. The policy's
 * findings are shown field by field; nothing is stored unless all pass.
 */
export function registrationRoutes(deps: RegistrationDependencies): Router {
  const router = Router();
  const { provider, csrf } = deps;

  const render = async (
    req: Request,
    res: Response,
    interaction: Interaction,
    state: Omit<Parameters<typeof registerPage>[0], 'clientName' | 'action' | 'csrf' | 'loginUrl' | 'formOrigins'>,
    status = 200,
  ) => {
    const client = await clientOf(provider, interaction);
    const action = interactionPath(interaction.uid, '/register');
    sendPage(
      res,
      registerPage({
        clientName: client.name,
        action,
        csrf: csrf.token(req, res, action),
        loginUrl: interactionPath(interaction.uid),
        formOrigins: clientOrigins(interaction),
        ...state,
      }),
      status,
    );
  };

  router.get('/interaction/:uid/register', async (req, res) => {
    await render(req, res, await signingIn(provider, req, res), {});
  });

  router.post('/interaction/:uid/register', formBody, async (req, res) => {
    csrf.check(req, req.path);
    const interaction = await signingIn(provider, req, res);
    const values = {
      username: formField(req.body, 'username'),
      displayName: formField(req.body, 'displayName'),
      email: formField(req.body, 'email'),
    };
    if (!(await deps.attempts.admitAddress(req.ip ?? 'unknown'))) {
      res.setHeader('retry-after', '60');
      await render(req, res, interaction, { values, error: 'Too many attempts from your network. Wait a while, then try again.' }, 429);
      return;
    }
    const checked = validateRegistration(
      { ...values, password: formField(req.body, 'password'), passwordConfirmation: formField(req.body, 'passwordConfirmation') },
      checkPasswordPolicy,
    );
    if (!checked.ok) {
      await render(req, res, interaction, { values, errors: checked.errors }, 400);
      return;
    }
    let accountId: string;
    try {
      const account = await deps.accounts.create({
        username: checked.data.username,
        displayName: checked.data.displayName,
        email: checked.data.email,
        passwordHash: await deps.hashPassword(checked.data.password!),
        teamId: deps.teamId,
      });
      accountId = account.id;
    } catch (error) {
      if (!(error instanceof AccountConflict)) throw error;
      const [field, message] = CONFLICT_MESSAGES[error.field];
      await render(req, res, interaction, { values, errors: { [field]: message } }, 409);
      return;
    }
    req.log.info({ accountId }, 'account registered');
    await provider.interactionFinished(req, res, { login: { accountId, amr: ['pwd'] } }, { mergeWithLastSubmission: false });
  });

  return router;
}
