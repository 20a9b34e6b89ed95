import type { IdopteConfiguration } from './idopte-configuration.js';
import type { IdopteCertificateReply } from './idopte-replies.js';

/** `idopte_certificate`: the configured certificate as it is, or `not_available` when Idopte is not configured. */
export function answerIdopteCertificate(configuration: IdopteConfiguration | undefined): IdopteCertificateReply {
  if (configuration === undefined) return { status: 'not_available' };
  return { status: 'ok', certificate: configuration.certificate };
}
