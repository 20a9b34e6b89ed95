import type { ServerResponse } from 'node:http';
import { Packr } from 'msgpackr';
import type { IdopteReply } from '../domain/idopte-replies.js';
import type { CommandFormat } from './command-body.js';

const packr = new Packr({ useRecords: false });

/** The reply's fields with bytes as base64, for JSON. */
function jsonFields(reply: IdopteReply): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(reply)) {
    fields[name] = value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') : value;
  }
  return fields;
}

/**
 * Writes a command's reply, always 200 with its `status` (a status is an
 * answer, not an HTTP error), in the format the command came in. Replies
 * carry signatures made for one handshake: no cache keeps them.
 */
export function sendReply(res: ServerResponse, format: CommandFormat, reply: IdopteReply): void {
  const body = format === 'msgpack' ? packr.pack(reply) : Buffer.from(JSON.stringify(jsonFields(reply)));
  res.statusCode = 200;
  res.setHeader('content-type', format === 'msgpack' ? 'application/msgpack' : 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-length', body.length);
  res.end(body);
}
