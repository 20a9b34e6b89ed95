import { bodySummary, CheckFailed } from '../runner/checks.js';

const BYTES_FIELDS = new Set(['middleware_challenge', 'middleware_signature', 'server_challenge', 'certificate', 'server_signature']);

type Fields = Record<string, Uint8Array | number | string>;

function encode(fields: Fields): string {
  return JSON.stringify(Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value])));
}

function decode(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).map(([name, value]) => [name, BYTES_FIELDS.has(name) && typeof value === 'string' ? Buffer.from(value, 'base64') : value]));
}

async function postJson(url: string, body: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await response.text();
  if (response.status !== 200) throw new CheckFailed(`${response.status} ${bodySummary(response.headers.get('content-type'), text)}`);
  return decode(JSON.parse(text) as Record<string, unknown>);
}

/**
 * A Parsec command, as the web client sends it to idopte-bridge: the
 * fields as JSON with bytes in base64; the reply's `status` says how it went.
 */
export function idopteCommand(bridgeUrl: string, command: 'idopte_certificate' | 'idopte_challenge', fields: Fields = {}): Promise<Record<string, unknown>> {
  return postJson(`${bridgeUrl}/anonymous/${command}`, encode(fields));
}

/** The middleware's answer to `findService`: its signature of the client's challenge, and a challenge for the server. */
export interface MiddlewareHandshake {
  readonly environment: string;
  readonly middleware_challenge: Buffer;
  readonly middleware_signature: Buffer;
  readonly server_challenge: Buffer;
  readonly pubkey_id: number;
}

/** `SCWS.findService`: the service certificate and a fresh challenge, to the local middleware. */
export async function findService(middlewareUrl: string, certificate: Uint8Array, challenge: Uint8Array): Promise<MiddlewareHandshake> {
  return (await postJson(`${middlewareUrl}/findService`, encode({ certificate, challenge }))) as unknown as MiddlewareHandshake;
}

/** `SCWS.createEnvironment`: the server's signature of the middleware's challenge. */
export function createEnvironment(middlewareUrl: string, environment: string, serverSignature: Uint8Array): Promise<Record<string, unknown>> {
  return postJson(`${middlewareUrl}/createEnvironment`, encode({ environment, server_signature: serverSignature }));
}
