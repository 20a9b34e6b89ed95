import type { RequestHandler } from 'express';
import type { DirectoryObject } from '../../acme/wire-types.js';
import type { AcmeContext } from '../acme-context.js';
import { sendAcme } from '../acme-response.js';

/**
 * GET /directory (RFC 8555 §7.1.1). No `newAuthz`: pre-authorization is not
 * offered. External account binding is not required (§7.3.4).
 */
export function directory(context: AcmeContext): RequestHandler {
  const { urls, policy } = context;
  const body: DirectoryObject = {
    newNonce: urls.newNonce,
    newAccount: urls.newAccount,
    newOrder: urls.newOrder,
    revokeCert: urls.revokeCert,
    keyChange: urls.keyChange,
    meta: {
      termsOfService: policy.termsOfService,
      ...(policy.website ? { website: policy.website } : {}),
      externalAccountRequired: false,
    },
  };
  return async (_req, res) => {
    await sendAcme(res, 200, body);
  };
}
