import { acmeError } from '../acme/acme-problem.js';

/** At most this many contact URLs per account. */
export const MAX_CONTACTS = 4;

// A deliberately plain address check: local part and a domain with a dot.
const MAILBOX = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/**
 * Checks an account's `contact` (RFC 8555 §7.3): an array of URLs. Only
 * `mailto:` is supported (§7.3: other schemes get `unsupportedContact`); a
 * mailto URL holds one address and no header fields (RFC 6068 `?…`), else
 * `invalidContact`.
 */
export function checkContacts(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw acmeError.malformed('"contact" must be an array of URLs');
  if (value.length > MAX_CONTACTS) throw acmeError.invalidContact(`at most ${MAX_CONTACTS} contact URLs are accepted`);
  return value.map((contact: unknown) => {
    if (typeof contact !== 'string') throw acmeError.malformed('each contact must be a string URL');
    const colon = contact.indexOf(':');
    const scheme = colon > 0 ? contact.slice(0, colon).toLowerCase() : '';
    if (scheme !== 'mailto') throw acmeError.unsupportedContact(`only mailto: contacts are supported, got "${contact.slice(0, 64)}"`);
    const address = contact.slice(colon + 1);
    if (address.includes('?')) throw acmeError.invalidContact('a mailto: contact must not carry header fields');
    if (address.includes(',')) throw acmeError.invalidContact('a mailto: contact must hold exactly one address');
    if (!MAILBOX.test(address)) throw acmeError.invalidContact(`"${address.slice(0, 64)}" is not an e-mail address`);
    return `mailto:${address}`;
  });
}
