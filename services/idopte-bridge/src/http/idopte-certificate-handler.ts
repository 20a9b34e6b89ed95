import type { RequestHandler } from 'express';
import type { ReloadableIdopteConfiguration } from '../configuration/reloadable-configuration.js';
import { answerIdopteCertificate } from '../domain/idopte-certificate.js';
import { decodeCommandBody } from './command-body.js';
import { sendReply } from './command-reply.js';

/** `POST /anonymous/idopte_certificate`: `req: {}` (no fields); the certificate, or `not_available`. */
export function idopteCertificateHandler(configurations: ReloadableIdopteConfiguration): RequestHandler {
  return (req, res) => {
    const body = decodeCommandBody(req, 'idopte_certificate');
    const lease = configurations.acquire();
    try {
      sendReply(res, body.format, answerIdopteCertificate(lease.configuration));
    } finally {
      lease.release();
    }
  };
}
