import type { Signer } from '@sigil/crypto';
import type { x509 } from '../x509.js';

/** The CA this service issues from: a root (trust anchor) and the intermediate that signs. */
export interface CaChain {
  readonly root: x509.X509Certificate;
  readonly intermediate: x509.X509Certificate;
  /** The intermediate's private key, wherever it lives (memory, PKCS#11 token). */
  readonly intermediateSigner: Signer;
  /** SubjectKeyIdentifier of the intermediate, hex: the AKI of everything it signs. */
  readonly intermediateKeyId: string;
}
