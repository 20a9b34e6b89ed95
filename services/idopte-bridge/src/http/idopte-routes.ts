import type { Express } from 'express';
import { idopteCertificateHandler } from './idopte-certificate-handler.js';
import { idopteChallengeHandler, type IdopteChallengeDependencies } from './idopte-challenge-handler.js';
import { methodNotAllowed } from './idopte-problems.js';
import { rawBody } from './raw-body.js';

/** Every command fits easily: a 4096-bit signature is 512 bytes, and challenges are shorter than the key. */
const BODY_LIMIT = 16 * 1024;

/**
 * The route table: the seed's anonymous commands, one path each. Bodies are
 * read whole and decoded by the command itself, as JSON or msgpack.
 */
export function mountIdopteRoutes(app: Express, dependencies: IdopteChallengeDependencies): void {
  const body = rawBody(BODY_LIMIT);
  app.post('/anonymous/idopte_certificate', body, idopteCertificateHandler(dependencies.configurations));
  app.post('/anonymous/idopte_challenge', body, idopteChallengeHandler(dependencies));
  app.all(['/anonymous/idopte_certificate', '/anonymous/idopte_challenge'], () => {
    throw methodNotAllowed();
  });
}
