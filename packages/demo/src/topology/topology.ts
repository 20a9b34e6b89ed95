import { randomBytes, randomUUID } from 'node:crypto';
import { acmeResourceService } from '@sigil/acme-resource';
import { authServerService } from '@sigil/auth-server';
import { davStorageService } from '@sigil/dav-storage';
import { idopteBridgeService } from '@sigil/idopte-bridge';
import { ipServiceService } from '@sigil/ip-service';
import { proxyService } from '@sigil/proxy';
import { startService, type RunningService, type StartOptions } from '@sigil/service-kit';
import { MiddlewareSimulator, startImsProvider } from '@sigil/stand-ins';
import { createStore, type Store } from '@sigil/store';
import { fixtureKey } from '@sigil/testkit';
import { startErc725Chain } from '../peers/erc725-chain.js';
import { startIdopteMiddleware } from '../peers/idopte-middleware-service.js';
import { startWardrobeService } from '../peers/wardrobe-service.js';
import { ParticipantMap, serveAs } from '../trace/participants.js';
import { createDemoFiles, writeAppsFile, writeClientsFile, writeProvidersFile } from './demo-files.js';
import { reserveAddress, startServiceGroup, type ServiceAddress, type ServiceGroup } from './service-group.js';
import { replicaSettings, serviceSettings } from './service-settings.js';
import { silentProgress, type StartupProgress } from './startup-progress.js';
import { SERVICE_NAMES, type DemoClients, type DemoWorld, type ServiceName } from './world.js';

const START: Record<ServiceName, (options: StartOptions) => Promise<RunningService>> = {
  'auth-server': (options) => startService(authServerService, options),
  'acme-resource': (options) => startService(acmeResourceService, options),
  'ip-service': (options) => startService(ipServiceService, options),
  proxy: (options) => startService(proxyService, options),
  'idopte-bridge': (options) => startService(idopteBridgeService, options),
  'dav-storage': (options) => startService(davStorageService, options),
};

/** The names the peers around the services go by, in step lines and traces. */
export const PEERS = { ims: 'IMS', chain: 'EVM chain', middleware: 'Idopte middleware', wardrobe: 'wardrobe' } as const;

const WIRE_DOMAIN = 'wire.example';

export interface TopologyOptions {
  /** Replicas of each service (default 1); more than one needs `redisUrl`, since they share state there. */
  readonly replicas?: number;
  /** The Redis every service keeps its state in; unset, each has an in-memory store. */
  readonly redisUrl?: string | undefined;
  /** Put in front of every Redis key (each run its own): default `sigil-demo:<random>:`. */
  readonly keyPrefix?: string;
  /** The services' `LOG_LEVEL` (their JSON logs go to stdout); default `silent`. */
  readonly logLevel?: string;
  readonly progress?: StartupProgress;
}

/** Everything running: the world the journeys see, and the handles to drive it. */
export interface Topology extends DemoWorld {
  readonly participants: ParticipantMap;
  readonly services: Readonly<Record<ServiceName, ServiceGroup>>;
  /**
   * Moves the service a step addresses to its next replica (its switchboard
   * stands for the load balancer), and with the proxy the storage behind it,
   * so that consecutive steps at a service land on different replicas.
   */
  useNextReplicaFor(participant: string): void;
  /** Stops a service's replicas: what depends on it fails from now on. */
  stop(service: ServiceName): Promise<void>;
  /** Stops everything and removes the run's files. */
  close(): Promise<void>;
}

function demoClients(): DemoClients {
  return {
    gropius: { clientId: 'gropius-frontend', redirectUri: 'https://gropius.example/callback' },
    gropiusBackend: { clientId: 'gropius-backend', clientSecret: randomBytes(24).toString('base64url') },
    wire: { clientId: 'wire-client', redirectUri: 'https://wire.example/callback' },
    ocis: { clientId: 'ocis-web', redirectUri: 'https://ocis.example/oidc-callback' },
  };
}

/** Runs `close` functions newest first, each whatever the others did. */
class Shutdown {
  readonly #steps: (() => Promise<unknown>)[] = [];

  add(step: () => Promise<unknown>): void {
    this.#steps.push(step);
  }

  async run(): Promise<void> {
    for (const step of this.#steps.splice(0).reverse()) await step().catch(() => undefined);
  }
}

/**
 * Starts the six services, wired to each other on free loopback ports,
 * and what the journeys need around them: the IMS (a second, independent
 * OpenID provider), a local EVM chain with the app's and the user's
 * Universal Profiles, the Idopte middleware, and the wardrobe (an ERC725
 * resource service). Ports are chosen first, since each service's settings
 * name the others; the services then start side by side.
 */
export async function startTopology(options: TopologyOptions = {}): Promise<Topology> {
  const replicas = options.replicas ?? 1;
  if (replicas > 1 && !options.redisUrl) throw new Error('replicas share their state through Redis: give a Redis URL to run more than one');
  const progress = options.progress ?? silentProgress;
  const keyPrefix = options.keyPrefix ?? `sigil-demo:${randomBytes(6).toString('hex')}:`;
  const participants = new ParticipantMap();
  const shutdown = new Shutdown();
  const clients = demoClients();
  // Named in the proxy's settings before it registers at auth-server, as an operator names the first administrator.
  const ocisAdmin = `ops-${randomBytes(3).toString('hex')}`;
  const simulator = new MiddlewareSimulator([fixtureKey('RSA-2048', 'idopte-middleware')]);

  try {
    const files = await createDemoFiles(simulator.keys);
    shutdown.add(() => files.remove());
    const addresses = Object.fromEntries(
      await Promise.all(SERVICE_NAMES.map(async (name) => [name, await reserveAddress(replicas)] as const)),
    ) as Record<ServiceName, ServiceAddress>;
    for (const address of Object.values(addresses)) if (address.switchboard) shutdown.add(() => address.switchboard!.close());
    const urls = Object.fromEntries(SERVICE_NAMES.map((name) => [name, addresses[name].url])) as Record<ServiceName, string>;
    progress.starting([...Object.values(PEERS), ...SERVICE_NAMES]);

    const [ims, erc725, middleware, wardrobe] = await Promise.all([
      startImsProvider([]).then((server) => {
        shutdown.add(() => server.close());
        server.configure(`${urls['auth-server']}/federation/callback`);
        return server;
      }),
      startErc725Chain().then((chain) => {
        shutdown.add(() => chain.close());
        return chain;
      }),
      startIdopteMiddleware(simulator).then((server) => {
        shutdown.add(() => server.close());
        return server;
      }),
      startWardrobeService(urls['ip-service']).then((server) => {
        shutdown.add(() => server.close());
        return server;
      }),
    ]);
    for (const [name, peer] of [
      [PEERS.ims, ims],
      [PEERS.chain, erc725.chain],
      [PEERS.middleware, middleware],
      [PEERS.wardrobe, wardrobe],
    ] as const) {
      serveAs(peer.server, name);
      participants.add(peer.url, name);
      progress.ready(name, peer.url);
    }

    const settings = serviceSettings({
      urls,
      files,
      clients,
      wireDomain: WIRE_DOMAIN,
      teamId: randomUUID(),
      ocisAdmin,
      clientsFile: await writeClientsFile(files, clients),
      providersFile: await writeProvidersFile(files, ims.url),
      appsFile: await writeAppsFile(files, {
        address: erc725.app.address,
        controllerPrivateKey: erc725.app.controller.privateKey,
        audience: wardrobe.url,
        rpcUrl: erc725.chain.url,
        chainId: erc725.chain.chainId,
      }),
    });
    const stores: Store[] = [];
    shutdown.add(() => Promise.all(stores.map((store) => store.close())));
    const groups = await Promise.all(
      SERVICE_NAMES.map(async (name) => {
        const serviceStores = Array.from({ length: replicas }, () => createStore({ url: options.redisUrl, prefix: `${keyPrefix}${name}:` }));
        stores.push(...serviceStores);
        const address = addresses[name];
        const env = { ...replicaSettings(address.url, address.replicaPort, options.logLevel ?? 'silent'), ...settings[name] };
        const group = await startServiceGroup(name, address, serviceStores, START[name], env, participants);
        shutdown.add(() => group.close());
        progress.ready(name, group.url);
        return [name, group] as const;
      }),
    );
    progress.finished();
    const services = Object.fromEntries(groups) as Record<ServiceName, ServiceGroup>;
    const turns = Object.fromEntries(SERVICE_NAMES.map((name) => [name, 0])) as Record<ServiceName, number>;
    return {
      urls,
      clients,
      wireDomain: WIRE_DOMAIN,
      ims,
      erc725: {
        appAddress: erc725.app.address,
        profileAddress: erc725.user.address,
        controller: erc725.user.controller,
        stranger: erc725.user.stranger,
        wardrobeUrl: wardrobe.url,
      },
      idopteMiddlewareUrl: middleware.url,
      ocisAdmin,
      participants,
      services,
      useNextReplicaFor(participant) {
        const moved = participant === 'proxy' ? (['proxy', 'dav-storage'] as const) : SERVICE_NAMES.filter((name) => name === participant);
        for (const name of moved) services[name].useReplica(++turns[name]);
      },
      stop: (service) => services[service].stop(),
      close: () => shutdown.run(),
    };
  } catch (error) {
    progress.finished();
    await shutdown.run();
    throw error;
  }
}
