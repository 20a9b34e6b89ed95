import { Packr, Unpackr } from 'msgpackr';

export type Format = 'json' | 'msgpack';

const packr = new Packr({ useRecords: false });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true });

export interface CommandResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The reply (or problem) with bytes as Buffers, whichever the format. */
  readonly body: Record<string, unknown>;
}

const BYTES_FIELDS = new Set(['middleware_challenge', 'middleware_signature', 'server_challenge', 'certificate', 'server_signature']);

/** A web client's side of a command: fields with bytes as Uint8Array, sent as JSON (base64) or msgpack (bin). */
export async function sendCommand(baseUrl: string, command: string, fields: Record<string, unknown>, format: Format = 'json'): Promise<CommandResponse> {
  const body =
    format === 'msgpack'
      ? packr.pack(fields)
      : JSON.stringify(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v])));
  const response = await fetch(`${baseUrl}/anonymous/${command}`, {
    method: 'POST',
    headers: { 'content-type': format === 'msgpack' ? 'application/msgpack' : 'application/json' },
    body,
  });
  return { status: response.status, headers: response.headers, body: await readBody(response) };
}

/** Decodes a reply by its content type; JSON bytes fields are turned back into Buffers. */
export async function readBody(response: Response): Promise<Record<string, unknown>> {
  const type = response.headers.get('content-type') ?? '';
  const bytes = Buffer.from(await response.arrayBuffer());
  if (type.startsWith('application/msgpack')) return unpackr.unpack(bytes) as Record<string, unknown>;
  const json = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  if (type.startsWith('application/problem+json')) return json;
  return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, BYTES_FIELDS.has(k) && typeof v === 'string' ? Buffer.from(v, 'base64') : v]));
}
