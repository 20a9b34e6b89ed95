import type { IncomingMessage } from 'node:http';
import { readBody } from '@sigil/service-kit';
import { Unpackr } from 'msgpackr';
import { malformedBody, unsupportedMediaType } from './idopte-problems.js';

/** How a command came, and so how it is answered. */
export type CommandFormat = 'json' | 'msgpack';

/** A command's fields, decoded but not yet checked. */
export interface CommandBody {
  readonly format: CommandFormat;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Every command fits easily: a 4096-bit signature is 512 bytes, and challenges are shorter than the key. */
const BODY_LIMIT = 16 * 1024;
const MSGPACK_TYPES = new Set(['application/msgpack', 'application/x-msgpack', 'application/vnd.msgpack']);

// Plain MessagePack only: no record or structured-clone extensions from an untrusted peer.
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, moreTypes: false, structuredClone: false });

function formatOf(contentType: string | undefined): CommandFormat | undefined {
  const type = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (type === 'application/json') return 'json';
  if (MSGPACK_TYPES.has(type)) return 'msgpack';
  return undefined;
}

function decode(format: CommandFormat, body: Buffer): unknown {
  try {
    return format === 'json' ? JSON.parse(body.toString('utf8')) : unpackr.unpack(body);
  } catch {
    throw malformedBody(format === 'json' ? 'The body is not valid JSON' : 'The body is not one valid MessagePack value');
  }
}

/**
 * Reads the body of `command` (up to 16 KiB; 413 beyond, 415 when
 * compressed) and decodes it as JSON or msgpack, chosen by `Content-Type`. The
 * body is a map of the command's fields; a `cmd` field, as Parsec clients
 * send it, must name this command. An empty body is the empty map (what
 * `idopte_certificate` takes), answered in JSON unless msgpack was named.
 */
export async function readCommandBody(req: IncomingMessage, command: string): Promise<CommandBody> {
  const body = await readBody(req, BODY_LIMIT);
  const contentType = req.headers['content-type'];
  if (body.length === 0) return { format: formatOf(contentType) ?? 'json', fields: {} };
  const format = formatOf(contentType);
  if (format === undefined) throw unsupportedMediaType();
  const fields = decode(format, body);
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields) || fields instanceof Uint8Array) {
    throw malformedBody(`The body is not a ${format === 'json' ? 'JSON object' : 'MessagePack map'} of the command's fields`);
  }
  const record = fields as Record<string, unknown>;
  if (Object.hasOwn(record, 'cmd') && record.cmd !== command) throw malformedBody(`cmd does not name ${command}, the command of this path`);
  return { format, fields: record };
}
