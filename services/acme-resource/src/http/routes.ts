import type { Express, RequestHandler } from 'express';
import { acmeError } from '../acme/acme-problem.js';
import type { AcmeContext } from './acme-context.js';
import { acmePost } from './acme-post.js';
import { ACME_PATHS } from './acme-urls.js';
import { accountOrders, accountResource } from './handlers/account.js';
import { authorizationResource } from './handlers/authorization.js';
import { caCertificate, crlResource, termsOfService } from './handlers/ca-resources.js';
import { certificateResource } from './handlers/certificate.js';
import { challengeResource } from './handlers/challenge.js';
import { directory } from './handlers/directory.js';
import { finalize } from './handlers/finalize.js';
import { keyChange } from './handlers/key-change.js';
import { newAccount } from './handlers/new-account.js';
import { newNonce } from './handlers/new-nonce.js';
import { newOrder } from './handlers/new-order.js';
import { orderResource } from './handlers/order.js';
import { revokeCert } from './handlers/revoke-cert.js';
import { WIRE_CRL_PATH, WIRE_INTERMEDIATE_PATH } from '../wire/wire-configuration.js';
import { replayNonce } from './replay-nonce.js';

/** §6.3: resources other than the directory and newNonce are read with POST-as-GET; GET is 405. */
const postOnly: RequestHandler = (_req, res) => {
  res.setHeader('Allow', 'POST');
  throw acmeError.malformed('this resource is read with POST-as-GET (RFC 8555 §6.3)', { status: 405 });
};

/**
 * The ACME route table (RFC 8555 §7.1). Each POST resource names the key
 * reference its JWS must use (§6.2): `jwk` for newAccount, either for
 * revokeCert, `kid` for everything else.
 */
export function acmeRoutes(app: Express, context: AcmeContext): void {
  app.use(['/acme', ACME_PATHS.directory], replayNonce(context.nonces, context.urls));

  app.get(ACME_PATHS.directory, directory(context));
  app.head(ACME_PATHS.newNonce, newNonce);
  app.get(ACME_PATHS.newNonce, newNonce);

  app.post(ACME_PATHS.newAccount, acmePost(context, 'jwk', newAccount(context)));
  app.post(ACME_PATHS.accountOrders, acmePost(context, 'kid', accountOrders(context)));
  app.post(ACME_PATHS.account, acmePost(context, 'kid', accountResource(context)));
  app.post(ACME_PATHS.keyChange, acmePost(context, 'kid', keyChange(context)));
  app.post(ACME_PATHS.newOrder, acmePost(context, 'kid', newOrder(context)));
  app.post(ACME_PATHS.finalize, acmePost(context, 'kid', finalize(context)));
  app.post(ACME_PATHS.order, acmePost(context, 'kid', orderResource(context)));
  app.post(ACME_PATHS.authorization, acmePost(context, 'kid', authorizationResource(context)));
  app.post(ACME_PATHS.challenge, acmePost(context, 'kid', challengeResource(context)));
  app.post(ACME_PATHS.certificate, acmePost(context, 'kid', certificateResource(context)));
  app.post(ACME_PATHS.revokeCert, acmePost(context, 'jwk-or-kid', revokeCert(context)));
  app.get('/acme/*rest', postOnly);

  app.get(ACME_PATHS.crl, crlResource(context.crl, context.now));
  app.get(ACME_PATHS.rootCertificate, caCertificate(context, 'root'));
  app.get(ACME_PATHS.intermediateCertificate, caCertificate(context, 'intermediate'));
  app.get(ACME_PATHS.terms, termsOfService);
  if (context.wire !== undefined) {
    const wireIntermediate = `${context.wire.ca.chain.intermediate.toString('pem')}\n`;
    app.get(WIRE_INTERMEDIATE_PATH, (_req, res) => {
      res.status(200).type('application/pem-certificate-chain').send(wireIntermediate);
    });
    if (context.wireCrl !== undefined) app.get(WIRE_CRL_PATH, crlResource(context.wireCrl, context.now));
  }
}
