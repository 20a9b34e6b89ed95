import type { DirectRoute } from '@sigil/service-kit';
import type { ReloadableIdopteConfiguration } from '../configuration/reloadable-configuration.js';
import { answerIdopteCertificate } from '../domain/idopte-certificate.js';
import { readCommandBody } from './command-body.js';
import { sendReply } from './command-reply.js';

/** `POST /anonymous/idopte_certificate`: `req: {}` (no fields); the certificate, or `not_available`. */
export function idopteCertificateHandler(configurations: ReloadableIdopteConfiguration): DirectRoute['handle'] {
  return async (req, res) => {
    const body = await readCommandBody(req, 'idopte_certificate');
    const lease = configurations.acquire();
    try {
      sendReply(res, body.format, answerIdopteCertificate(lease.configuration));
    } finally {
      lease.release();
    }
  };
}
