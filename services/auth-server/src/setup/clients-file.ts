import { readFile } from 'node:fs/promises';
import type { ClientMetadata } from 'oidc-provider';
import { parse } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '@sigil/service-kit';

/** A resource server that receives access tokens for its own audience (RFC 8707, RFC 9068). */
export interface ResourceServerDefinition {
  /** The resource indicator clients send (`resource=`): an absolute URI without fragment. */
  readonly resource: string;
  /** The `aud` of its tokens; default the resource indicator. */
  readonly audience: string;
  /** Scopes it understands; a client gets those its registered `scope` lists. */
  readonly scopes: readonly string[];
  /** `jwt` (RFC 9068, verifiable offline) or `opaque` (introspection). */
  readonly accessTokenFormat: 'jwt' | 'opaque';
  /** Token lifetime in seconds; default `ACCESS_TOKEN_TTL`. */
  readonly accessTokenTtl: number | undefined;
}

export interface ClientsConfiguration {
  /** Client metadata as oidc-provider takes it (RFC 7591 names), plus `first_party`. */
  readonly clients: readonly ClientMetadata[];
  readonly resourceServers: readonly ResourceServerDefinition[];
}

const scopeToken = z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'a scope is printable ASCII without spaces, quotes or backslashes (RFC 6749 §3.3)');

const absoluteUri = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.hash === '' && !value.includes('#');
  } catch {
    return false;
  }
}, 'must be an absolute URI without a fragment (RFC 8707 §2)');

const clientSchema = z.looseObject({
  client_id: z.string().min(1).max(200),
  client_secret: z.string().min(16, 'client secrets need at least 16 characters').optional(),
  /** A file holding the secret (a mounted Kubernetes secret), instead of `client_secret`. */
  client_secret_file: z.string().min(1).optional(),
  /** Consent is not asked for this client (an application of the same operator). */
  first_party: z.boolean().optional(),
});

const resourceServerSchema = z.strictObject({
  resource: absoluteUri,
  audience: z.string().min(1).optional(),
  scopes: z.array(scopeToken).min(1),
  accessTokenFormat: z.enum(['jwt', 'opaque']).default('jwt'),
  accessTokenTtl: z.number().int().positive().optional(),
});

const fileSchema = z.strictObject({
  clients: z.array(clientSchema).default([]),
  resourceServers: z.array(resourceServerSchema).default([]),
});

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}

async function readSecretFile(path: string, clientId: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    throw new ConfigError('CLIENTS_FILE', `client ${clientId}: cannot read client_secret_file ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/**
 * Reads and checks the clients file (YAML, or JSON which is YAML too). The
 * structure is checked here; each client's metadata is then checked in full
 * by oidc-provider when the service starts, so a bad file stops start-up.
 */
export async function loadClientsFile(path: string): Promise<ClientsConfiguration> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError('CLIENTS_FILE', `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new ConfigError('CLIENTS_FILE', `${path} is not valid YAML or JSON (${(error as Error).message.split('\n')[0]})`);
  }
  const parsed = fileSchema.safeParse(document ?? {});
  if (!parsed.success) throw new ConfigError('CLIENTS_FILE', `${path}: ${describeIssue(parsed.error.issues[0]!)}`);

  const clients = await Promise.all(
    parsed.data.clients.map(async ({ client_secret_file: secretFile, ...client }) => {
      if (secretFile === undefined) return client as ClientMetadata;
      if (client.client_secret !== undefined) {
        throw new ConfigError('CLIENTS_FILE', `client ${client.client_id}: give client_secret or client_secret_file, not both`);
      }
      return { ...client, client_secret: await readSecretFile(secretFile, client.client_id) } as ClientMetadata;
    }),
  );
  const resourceServers = parsed.data.resourceServers.map((server) => ({
    resource: server.resource,
    audience: server.audience ?? server.resource,
    scopes: server.scopes,
    accessTokenFormat: server.accessTokenFormat,
    accessTokenTtl: server.accessTokenTtl,
  }));
  const resources = new Set(resourceServers.map((server) => server.resource));
  if (resources.size !== resourceServers.length) throw new ConfigError('CLIENTS_FILE', `${path}: a resource server is listed twice`);
  return { clients, resourceServers };
}
