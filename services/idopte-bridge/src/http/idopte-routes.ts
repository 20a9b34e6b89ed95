import type { DirectRoute } from '@sigil/service-kit';
import { idopteCertificateHandler } from './idopte-certificate-handler.js';
import { idopteChallengeHandler, type IdopteChallengeDependencies } from './idopte-challenge-handler.js';
import { methodNotAllowed } from './idopte-problems.js';

const CERTIFICATE = '/anonymous/idopte_certificate';
const CHALLENGE = '/anonymous/idopte_challenge';

function refuse(): never {
  throw methodNotAllowed();
}

/**
 * The route table: the seed's anonymous commands, one path each, served
 * directly (ahead of express: a handshake is a few hundred bytes of work).
 * Bodies are read whole and decoded by the command itself, as JSON or msgpack.
 */
export function idopteRoutes(dependencies: IdopteChallengeDependencies): DirectRoute[] {
  return [
    { method: 'POST', path: CERTIFICATE, handle: idopteCertificateHandler(dependencies.configurations) },
    { method: 'POST', path: CHALLENGE, handle: idopteChallengeHandler(dependencies) },
    { path: CERTIFICATE, handle: refuse },
    { path: CHALLENGE, handle: refuse },
  ];
}
