import type { OrderKind } from '../state/records.js';
import type { CertificateProfile } from './certificate-profile.js';
import { tlsServerProfile } from './tls-server-profile.js';
import { wireClientProfile } from './wire-client-profile.js';

/** The certificate profile of each order kind. */
export const CERTIFICATE_PROFILES: Readonly<Record<OrderKind, CertificateProfile>> = {
  dns: tlsServerProfile,
  wire: wireClientProfile,
};
