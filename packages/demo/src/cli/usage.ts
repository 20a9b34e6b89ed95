import { SERVICE_NAMES } from '../topology/world.js';

export const USAGE = `Usage: pnpm demo [journey…] [options]

Starts the six Sigil services on free loopback ports, with what they talk
to (an external OpenID provider, a local EVM chain, the Idopte middleware),
and walks the five journeys of the seeds with real client libraries, one
numbered line per step. Exits 0 when every journey passes; otherwise 1,
naming the step that failed and why.

Journeys (all of them when none is named):
  gropius   public client, code + PKCE through the login page, refresh, a linked IMS account
  wire      Wire device identity: DPoP access token, ACME with wire-dpop-01 and wire-oidc-01, certificate
  erc725    sign-in with a Universal Profile; a resource service verifies through JWKS
  ocis      WebDAV through the proxy: bearer token, provisioning on first sight, the storage
  idopte    mutual authentication with the (simulated) Idopte middleware

Options:
  --trace              also print each journey as a Mermaid sequence diagram of
                       the HTTP exchanges that happened
  --stop <service>     stop a service once everything is up, to see how a journey
                       fails (one of: ${SERVICE_NAMES.join(', ')})
  --replicas <n>       run n replicas of each service behind a load balancer,
                       alternating between them at every step (needs REDIS_URL)
  --log-level <level>  the services' log level (their JSON logs go to stdout);
                       default silent
  -h, --help           this text

Environment:
  REDIS_URL            keep the services' state in this Redis (each run under a key
                       prefix of its own, sigil-demo:<run>:); unset, in memory
`;
