// @peculiar/x509 resolves its algorithms through tsyringe, which needs the
// Reflect metadata API installed before the library loads: this module is
// the demo's one import of it, in that order, pointed at node's WebCrypto.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);

export { x509 };
