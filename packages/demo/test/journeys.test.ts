import { describeWithRedis, redisUrl, testKeyPrefix } from '@sigil/testkit';
import {
  ExchangeRecorder,
  journeyNamed,
  runJourney,
  sequenceDiagram,
  SERVICE_NAMES,
  startTopology,
  type JourneyName,
  type JourneyResult,
  type Step,
  type Topology,
} from '../src/index.js';

const describeRedis = await describeWithRedis();

describeRedis('the five journeys, against two replicas of every service on one Redis', () => {
  let topology: Topology;
  let recorder: ExchangeRecorder;

  beforeAll(async () => {
    topology = await startTopology({ replicas: 2, redisUrl: redisUrl(), keyPrefix: testKeyPrefix('demo') });
    recorder = new ExchangeRecorder(topology.participants);
    recorder.start();
  }, 60_000);
  afterAll(async () => {
    recorder?.stop();
    await topology?.close();
  });

  /** Walks a journey, each step on the next replica of the service it addresses; returns its result, its lines and its diagram. */
  const walk = async (name: JourneyName): Promise<{ result: JourneyResult; lines: string[]; diagram: string }> => {
    const lines: string[] = [];
    const line = (step: Step, text: string) => lines.push(`${step.number}. ${step.from} → ${step.to}: ${step.action} ${text}`);
    const result = await runJourney(journeyNamed(name), topology, {
      stepStarting(step) {
        topology.useNextReplicaFor(step.to);
        recorder.markStep(step.number, step.from, step.to, step.action);
      },
      stepPassed: (step, facts) => line(step, facts.join('; ')),
      stepFailed: (step, reason) => line(step, `✗ ${reason}`),
    });
    return { result, lines, diagram: sequenceDiagram(recorder.take()) };
  };

  it('Gropius: code + PKCE through the pages, refresh, a linked IMS account whose token the backend uses', async () => {
    const { result, lines, diagram } = await walk('gropius');
    expect(result.failure).toBeUndefined();
    expect(lines).toHaveLength(12);
    expect(lines[8]).toMatch(/browser → IMS: link: .* linked as ada-[0-9a-f]{6}-at-ims/);
    // auth-server redeems the IMS's code itself, and the backend then uses the IMS token at the IMS.
    expect(diagram).toContain('auth_server->>IMS: POST /token');
    expect(diagram).toContain('Gropius_backend->>IMS: GET /me');
  });

  it('Wire: a device certificate after wire-dpop-01 and wire-oidc-01, both checked against auth-server’s keys', async () => {
    const { result, lines, diagram } = await walk('wire');
    expect(result.failure).toBeUndefined();
    expect(lines.at(-1)).toMatch(/subject CN=Grace [0-9A-F]{6}, O=wire\.example; SAN URI:wireapp:\/\/%40grace-[0-9a-f]{6}@wire\.example, URI:wireapp:\/\/[\w-]+![0-9a-f]{16}@wire\.example/);
    expect(diagram).toContain('acme_resource->>auth_server: GET /wire/jwks');
    expect(diagram).toContain('acme_resource->>auth_server: GET /jwks');
  });

  it('ERC725: a token for the profile (the SIGN permission read on chain), verified by the wardrobe through JWKS', async () => {
    const { result, lines, diagram } = await walk('erc725');
    expect(result.failure).toBeUndefined();
    expect(lines[1]).toContain(`erc725Address ${topology.erc725.profileAddress}`);
    expect(lines[4]).toContain('refused: 403 permission-denied');
    expect(diagram).toContain('ip_service->>EVM_chain: POST /');
    expect(diagram).toContain('wardrobe->>ip_service: GET /.well-known/jwks.json');
  });

  it('oCIS: PROPFIND through the proxy, which asks userinfo, provisions the account and forwards to the storage; disabled by the named administrator, it is refused', async () => {
    const { result, lines, diagram } = await walk('ocis');
    expect(result.failure).toBeUndefined();
    expect(lines).toHaveLength(10);
    const uuid = /provisioned on first sight: account ([0-9a-f-]{36}) for /.exec(lines[3]!)?.[1];
    expect(uuid).toBeDefined();
    expect(diagram).toContain('proxy->>auth_server: GET /userinfo');
    expect(diagram).toMatch(/proxy->>dav_storage: PROPFIND \/dav/);
    expect(diagram).toContain('proxy->>dav_storage: PUT /dav/hello.txt');
    // The administrator is the user PROXY_ADMIN_USERS names, registered at auth-server like anyone else.
    expect(lines[6]).toContain(`registration of "${topology.ocisAdmin}" (the administrator the proxy’s PROXY_ADMIN_USERS names)`);
    expect(lines[8]).toContain(`disable with ${topology.ocisAdmin}’s token`);
    expect(lines[8]).toContain(`account ${uuid!} disabled`);
    expect(lines[9]).toContain('refused: 401 urn:sigil:problem:account-disabled; WWW-Authenticate: Bearer realm="sigil", Basic realm="sigil", charset="UTF-8"');
    expect(diagram).toContain(`oCIS_web->>proxy: POST /api/v1/accounts/${uuid!.slice(0, 8)}…/disable`);
    expect(diagram).toMatch(/WebDAV_client->>proxy: PROPFIND \/dav\n {4}proxy-->>WebDAV_client: 401$/m);
  });

  it('Idopte: mutual authentication with the middleware; the replay, on the other replica, is refused', async () => {
    const { result, lines, diagram } = await walk('idopte');
    expect(result.failure).toBeUndefined();
    expect(lines[4]).toContain('status invalid_middleware_signature');
    expect(diagram).toContain('web_client->>Idopte_middleware: POST /findService');
  });

  it('spread the steps over both replicas of every service', () => {
    for (const name of SERVICE_NAMES) {
      const served = topology.services[name].served;
      expect({ name, served: served.length === 2 && served.every((count) => count > 0) }).toEqual({ name, served: true });
    }
  });
});
