import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '@sigil/service-kit';
import type { ClaimMapping } from '../domain/external-identity.js';

/** An external ("IMS") OAuth 2.0 / OpenID Connect provider users can sign in with and link. */
export interface ExternalProviderDefinition {
  /** In URLs and storage keys: lowercase letters, digits and dashes. */
  readonly id: string;
  /** Shown on buttons: "Sign in with <name>". */
  readonly name: string;
  /** OpenID Connect discovery from this issuer; or else the explicit endpoints of a plain OAuth 2.0 provider. */
  readonly issuer: string | undefined;
  readonly endpoints: {
    readonly authorization: string;
    readonly token: string;
    readonly userinfo: string | undefined;
    readonly revocation: string | undefined;
    readonly jwks: string | undefined;
  } | undefined;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tokenEndpointAuthMethod: 'client_secret_basic' | 'client_secret_post';
  readonly scopes: readonly string[];
  readonly claims: ClaimMapping;
}

const url = z.url({ protocol: /^https?$/ });

const providerSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'ids are 1 to 32 lowercase letters, digits and dashes'),
    name: z.string().min(1).max(64),
    issuer: url.optional(),
    authorizationEndpoint: url.optional(),
    tokenEndpoint: url.optional(),
    userinfoEndpoint: url.optional(),
    revocationEndpoint: url.optional(),
    jwksUri: url.optional(),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1).optional(),
    clientSecretFile: z.string().min(1).optional(),
    tokenEndpointAuthMethod: z.enum(['client_secret_basic', 'client_secret_post']).default('client_secret_basic'),
    scopes: z.array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/)).min(1),
    claims: z
      .strictObject({
        subject: z.string().min(1).default('sub'),
        username: z.string().min(1).default('preferred_username'),
        displayName: z.string().min(1).default('name'),
        email: z.string().min(1).default('email'),
      })
      .prefault({}),
  })
  .refine((provider) => (provider.issuer === undefined) !== (provider.authorizationEndpoint === undefined), {
    message: 'give either issuer (discovery) or authorizationEndpoint and tokenEndpoint',
  })
  .refine((provider) => provider.issuer !== undefined || provider.tokenEndpoint !== undefined, { message: 'tokenEndpoint is required with explicit endpoints' })
  .refine((provider) => provider.issuer !== undefined || (provider.userinfoEndpoint !== undefined && !provider.scopes.includes('openid')), {
    message: 'explicit endpoints describe a plain OAuth 2.0 provider: give userinfoEndpoint (who the user is) and no openid scope; use issuer for OpenID Connect',
  })
  .refine((provider) => (provider.clientSecret === undefined) !== (provider.clientSecretFile === undefined), {
    message: 'give clientSecret or clientSecretFile',
  });

const fileSchema = z.strictObject({ providers: z.array(providerSchema).default([]) });

/** Reads and checks the providers file (YAML or JSON); secrets may come from files (mounted secrets). */
export async function loadProvidersFile(path: string): Promise<ExternalProviderDefinition[]> {
  const fail = (reason: string): never => {
    throw new ConfigError('PROVIDERS_FILE', `${path}: ${reason}`);
  };
  let document: unknown;
  try {
    document = parse(await readFile(path, 'utf8'));
  } catch (error) {
    fail(`cannot be read as YAML or JSON (${(error as Error).message.split('\n')[0]})`);
  }
  const parsed = fileSchema.safeParse(document ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    fail(`${issue.path.map(String).join('.')}: ${issue.message}`);
  }
  const providers = await Promise.all(
    parsed.data!.providers.map(async (provider): Promise<ExternalProviderDefinition> => {
      let secret = provider.clientSecret;
      if (secret === undefined) {
        try {
          secret = (await readFile(provider.clientSecretFile!, 'utf8')).trim();
        } catch {
          fail(`provider ${provider.id}: cannot read clientSecretFile`);
        }
      }
      return {
        id: provider.id,
        name: provider.name,
        issuer: provider.issuer,
        endpoints:
          provider.issuer !== undefined
            ? undefined
            : {
                authorization: provider.authorizationEndpoint!,
                token: provider.tokenEndpoint!,
                userinfo: provider.userinfoEndpoint,
                revocation: provider.revocationEndpoint,
                jwks: provider.jwksUri,
              },
        clientId: provider.clientId,
        clientSecret: secret!,
        tokenEndpointAuthMethod: provider.tokenEndpointAuthMethod,
        scopes: provider.scopes,
        claims: provider.claims,
      };
    }),
  );
  if (new Set(providers.map((provider) => provider.id)).size !== providers.length) fail('provider ids must be unique');
  return providers;
}
