import type { BaseWallet } from 'ethers';
import type { ImsProvider } from '@sigil/stand-ins';

export const SERVICE_NAMES = ['auth-server', 'acme-resource', 'ip-service', 'proxy', 'idopte-bridge', 'dav-storage'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** A client registered at auth-server for the demo (the clients file). */
export interface DemoClient {
  readonly clientId: string;
  /** Where auth-server sends the browser back; the demo's browser stops there and hands the URL to the client. */
  readonly redirectUri: string;
}

export interface DemoClients {
  /** Gropius's public single-page client: code + PKCE, refresh tokens. */
  readonly gropius: DemoClient;
  /** Gropius's backend: a confidential client that reads linked IMS tokens. */
  readonly gropiusBackend: { readonly clientId: string; readonly clientSecret: string };
  /** The Wire app: signs users in, asks ID tokens for wire-oidc-01. */
  readonly wire: DemoClient;
  /** The oCIS web client: its access tokens go to the proxy. */
  readonly ocis: DemoClient;
}

/** The ERC725 side: the app's and the user's Universal Profiles on the local chain, and the resource service. */
export interface Erc725World {
  /** The DApp's Universal Profile, whose controller key the ip-service signs with. */
  readonly appAddress: string;
  /** The user's Universal Profile. */
  readonly profileAddress: string;
  /** A key holding the LSP6 SIGN permission on the user's profile (the client's own ERC725 key). */
  readonly controller: BaseWallet;
  /** A key that holds no permission on the profile. */
  readonly stranger: BaseWallet;
  /** The resource service (a "digital wardrobe") that verifies tokens through the ip-service's JWKS; also the token audience. */
  readonly wardrobeUrl: string;
}

/** Everything a journey may call: the services' public URLs, and what the demo runs around them. */
export interface DemoWorld {
  readonly urls: Readonly<Record<ServiceName, string>>;
  readonly clients: DemoClients;
  /** The domain of Wire device identities (auth-server's and acme-resource's `*_WIRE_DOMAIN`). */
  readonly wireDomain: string;
  /** The external ("IMS") provider auth-server links accounts with. */
  readonly ims: Pick<ImsProvider, 'url' | 'signInAs' | 'addUser'>;
  readonly erc725: Erc725World;
  /** The simulated Idopte middleware (its `SCWS` calls over HTTP). */
  readonly idopteMiddlewareUrl: string;
  /** The username the proxy's `PROXY_ADMIN_USERS` names: the oCIS journey registers it at auth-server, and disables its user with it. */
  readonly ocisAdmin: string;
}
