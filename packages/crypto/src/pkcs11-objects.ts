import pkcs11js from 'pkcs11js';
import type { Handle, PKCS11, Template } from 'pkcs11js';
import { Pkcs11Error } from './errors.js';
import { pkcs11Failure } from './pkcs11-failure.js';
import type { Pkcs11Uri } from './pkcs11-uri.js';

/**
 * The single private key matching the URI's `object` (CKA_LABEL) and `id`
 * (CKA_ID). Private objects are only visible after login, so a missing PIN
 * usually shows up here as `ERR_PKCS11_OBJECT_NOT_FOUND`.
 */
export function findPrivateKey(pkcs11: PKCS11, session: Handle, uri: Pkcs11Uri): Handle {
  const template: Template = [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }];
  if (uri.object !== undefined) template.push({ type: pkcs11js.CKA_LABEL, value: Buffer.from(uri.object, 'utf8') });
  if (uri.id !== undefined) template.push({ type: pkcs11js.CKA_ID, value: Buffer.from(uri.id) });
  const found = findObjects(pkcs11, session, template, 2);
  const [key] = found;
  if (key === undefined) {
    throw new Pkcs11Error('ERR_PKCS11_OBJECT_NOT_FOUND', `no private key ${describeSelector(uri)} on the token`);
  }
  if (found.length > 1) {
    throw new Pkcs11Error('ERR_PKCS11_OBJECT_AMBIGUOUS', `several private keys ${describeSelector(uri)} on the token`);
  }
  return key;
}

/**
 * Public key objects that may be the private key's other half: first those
 * sharing its CKA_ID (how PKCS#11 pairs keys, v2.40 §4.4), then those
 * sharing the URI's label.
 */
export function findPublicKeyCandidates(pkcs11: PKCS11, session: Handle, privateKey: Handle, uri: Pkcs11Uri): Handle[] {
  const candidates: Handle[] = [];
  const id = readOptionalAttribute(pkcs11, session, privateKey, pkcs11js.CKA_ID);
  if (id !== undefined && id.length > 0) {
    candidates.push(...findObjects(pkcs11, session, publicKeyTemplate(pkcs11js.CKA_ID, id), 4));
  }
  if (uri.object !== undefined) {
    const byLabel = findObjects(pkcs11, session, publicKeyTemplate(pkcs11js.CKA_LABEL, Buffer.from(uri.object, 'utf8')), 4);
    candidates.push(...byLabel.filter((handle) => !candidates.some((known) => known.equals(handle))));
  }
  return candidates;
}

function publicKeyTemplate(type: number, value: Buffer): Template {
  return [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
    { type, value },
  ];
}

function findObjects(pkcs11: PKCS11, session: Handle, template: Template, max: number): Handle[] {
  try {
    pkcs11.C_FindObjectsInit(session, template);
    try {
      return pkcs11.C_FindObjects(session, max);
    } finally {
      pkcs11.C_FindObjectsFinal(session);
    }
  } catch (error) {
    throw pkcs11Failure(error, 'searching the token');
  }
}

/** An attribute's value, or undefined when the object does not have it or hides it. */
export function readOptionalAttribute(pkcs11: PKCS11, session: Handle, object: Handle, type: number): Buffer | undefined {
  try {
    return pkcs11.C_GetAttributeValue(session, object, [{ type }])[0]?.value;
  } catch {
    return undefined;
  }
}

function describeSelector(uri: Pkcs11Uri): string {
  const parts: string[] = [];
  if (uri.object !== undefined) parts.push(`labelled "${uri.object}"`);
  if (uri.id !== undefined) parts.push(`with id ${Buffer.from(uri.id).toString('hex')}`);
  return parts.join(' ');
}
