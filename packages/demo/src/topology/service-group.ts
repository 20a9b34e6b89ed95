import type { RunningService, StartOptions } from '@sigil/service-kit';
import type { Store } from '@sigil/store';
import { freePort, startSwitchboard, type Switchboard } from '@sigil/testkit';
import { PASS_THROUGH, serveAs, type ParticipantMap } from '../trace/participants.js';
import type { ServiceName } from './world.js';

/**
 * Where a service will answer, decided before anything starts (each
 * service's settings name the others): one replica listens on a free port
 * of its own; several sit behind a switchboard, the load balancer whose
 * URL is then the public one.
 */
export interface ServiceAddress {
  readonly url: string;
  /** The port the only replica listens on; 0 when replicas are behind a switchboard. */
  readonly replicaPort: number;
  readonly switchboard: Switchboard | undefined;
}

export async function reserveAddress(replicas: number): Promise<ServiceAddress> {
  if (replicas <= 1) {
    const port = await freePort();
    return { url: `http://127.0.0.1:${port}`, replicaPort: port, switchboard: undefined };
  }
  const switchboard = await startSwitchboard();
  return { url: switchboard.url, replicaPort: 0, switchboard };
}

/** The replicas of one service and the address they answer at. */
export interface ServiceGroup {
  readonly name: ServiceName;
  readonly url: string;
  readonly replicas: readonly RunningService[];
  /** Requests each replica has served through the switchboard (empty with one replica). */
  readonly served: readonly number[];
  /** Sends the requests from now on to replica `index % replicas` (nothing to switch with one replica). */
  useReplica(index: number): void;
  /** Stops the replicas; the address stays, and refuses or answers 502 from now on. */
  stop(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a service's replicas one after the other (the first generates the
 * development keys the others then read), each on its own store, and names
 * them in the participant map so that traces say who answered.
 */
export async function startServiceGroup(
  name: ServiceName,
  address: ServiceAddress,
  stores: readonly Store[],
  start: (options: StartOptions) => Promise<RunningService>,
  env: Record<string, string>,
  participants: ParticipantMap,
): Promise<ServiceGroup> {
  const replicas: RunningService[] = [];
  const { switchboard } = address;
  const stopReplicas = () => Promise.all(replicas.map((replica) => replica.close(1_000))).then(() => undefined);
  try {
    for (const store of stores) {
      const replica = await start({ env, store });
      serveAs(replica.server, name);
      participants.add(replica.url, name);
      switchboard?.targets.push(replica.url);
      replicas.push(replica);
    }
  } catch (error) {
    await stopReplicas();
    await switchboard?.close();
    throw error;
  }
  participants.add(address.url, name);
  if (switchboard !== undefined) serveAs(switchboard.server, PASS_THROUGH);
  let stopped: Promise<void> | undefined;
  return {
    name,
    url: address.url,
    replicas,
    served: switchboard?.served ?? [],
    useReplica(index) {
      switchboard?.use(index % replicas.length);
    },
    stop: () => (stopped ??= stopReplicas()),
    async close() {
      await (stopped ??= stopReplicas());
      await switchboard?.close();
    },
  };
}
