import { objectName, type Manifest } from './manifest.js';

/** The rules every Sigil workload follows; each violation names one. */
export type PolicyRule =
  | 'probes'
  | 'probe-path'
  | 'resources'
  | 'non-root'
  | 'privilege-escalation'
  | 'read-only-root'
  | 'capabilities'
  | 'seccomp'
  | 'image-tag'
  | 'autoscaler'
  | 'replicas-with-autoscaler'
  | 'disruption-budget';

export interface PolicyViolation {
  /** `Deployment/proxy`, or `Deployment/proxy container proxy`. */
  readonly object: string;
  readonly rule: PolicyRule;
  readonly detail: string;
}

export interface PolicyOptions {
  /**
   * The paths a Deployment's service answers with 200, by Deployment name
   * (undefined: the service is unknown). Without this option probe paths are
   * not checked.
   */
  readonly servedPaths?: (deployment: string) => readonly string[] | undefined;
}

interface Probe {
  httpGet?: { path?: string; port?: string | number };
  exec?: unknown;
  tcpSocket?: unknown;
  grpc?: unknown;
}

interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { drop?: string[] };
  seccompProfile?: { type?: string };
}

interface Container {
  name: string;
  image?: string;
  ports?: { name?: string; containerPort: number }[];
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  securityContext?: SecurityContext;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
}

interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  securityContext?: SecurityContext;
}

interface Workload extends Manifest {
  spec?: { replicas?: number; template?: { metadata?: { labels?: Record<string, string> }; spec?: PodSpec } };
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
// A release version (`1.2.3`, `v1.2`, `7.4.2-bookworm`, `22.23.3-trixie-slim`) or a digest.
const VERSION_TAG = /^v?\d+(\.\d+){1,2}([-.+][0-9A-Za-z.-]+)?$/;

/**
 * Checks rendered manifests against Sigil's deployment rules: every
 * container has probes, requests and limits, runs as non-root without
 * privilege escalation on a read-only root with all capabilities dropped and
 * the runtime's seccomp profile, from an image pinned to a version; every
 * Deployment has a HorizontalPodAutoscaler and a PodDisruptionBudget, and
 * probes only paths its service answers.
 */
export function checkManifests(manifests: readonly Manifest[], options: PolicyOptions = {}): PolicyViolation[] {
  const violations: PolicyViolation[] = [];
  for (const manifest of manifests) {
    if (!WORKLOAD_KINDS.has(manifest.kind)) continue;
    const workload = manifest as Workload;
    const pod = workload.spec?.template?.spec ?? {};
    const containers = pod.containers ?? [];
    for (const container of containers) violations.push(...checkContainer(workload, pod, container, false, options));
    for (const container of pod.initContainers ?? []) violations.push(...checkContainer(workload, pod, container, true, options));
    if (manifest.kind === 'Deployment') violations.push(...checkScaling(workload, manifests));
  }
  return violations;
}

function checkContainer(workload: Workload, pod: PodSpec, container: Container, init: boolean, options: PolicyOptions): PolicyViolation[] {
  const object = `${objectName(workload)} ${init ? 'initContainer' : 'container'} ${container.name}`;
  const found: PolicyViolation[] = [];
  const violation = (rule: PolicyRule, detail: string) => found.push({ object, rule, detail });

  if (!init) {
    for (const kind of ['readinessProbe', 'livenessProbe'] as const) {
      const probe = container[kind];
      if (probe === undefined || !(probe.httpGet || probe.exec || probe.tcpSocket || probe.grpc)) violation('probes', `no ${kind}`);
    }
    for (const kind of ['readinessProbe', 'livenessProbe', 'startupProbe'] as const) {
      const get = container[kind]?.httpGet;
      if (get === undefined) continue;
      const ports = container.ports ?? [];
      const portKnown = typeof get.port === 'number' ? ports.some((port) => port.containerPort === get.port) : ports.some((port) => port.name === get.port);
      if (!portKnown) violation('probes', `${kind} uses port ${String(get.port)}, which the container does not declare`);
      if (workload.kind === 'Deployment' && options.servedPaths) {
        const served = options.servedPaths(workload.metadata.name);
        if (served === undefined) violation('probe-path', `no service named ${workload.metadata.name} to check ${kind} ${get.path ?? '/'} against`);
        else if (!served.includes(get.path ?? '/')) violation('probe-path', `${kind} requests ${get.path ?? '/'}, which ${workload.metadata.name} does not answer with 200`);
      }
    }
  }

  const { requests = {}, limits = {} } = container.resources ?? {};
  for (const resource of ['cpu', 'memory']) {
    if (requests[resource] === undefined) violation('resources', `no ${resource} request`);
    if (limits[resource] === undefined) violation('resources', `no ${resource} limit`);
  }

  const podContext = pod.securityContext ?? {};
  const context = container.securityContext ?? {};
  const runAsNonRoot = context.runAsNonRoot ?? podContext.runAsNonRoot;
  const runAsUser = context.runAsUser ?? podContext.runAsUser;
  if (runAsNonRoot !== true) violation('non-root', 'runAsNonRoot is not true');
  if (runAsUser === 0) violation('non-root', 'runAsUser is 0');
  if (context.allowPrivilegeEscalation !== false) violation('privilege-escalation', 'allowPrivilegeEscalation is not false');
  if (context.readOnlyRootFilesystem !== true) violation('read-only-root', 'readOnlyRootFilesystem is not true');
  if (!(context.capabilities?.drop ?? []).includes('ALL')) violation('capabilities', 'capabilities do not drop ALL');
  const seccomp = context.seccompProfile?.type ?? podContext.seccompProfile?.type;
  if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') violation('seccomp', `seccomp profile is ${seccomp ?? 'unset'}`);

  const image = container.image ?? '';
  if (!image.includes('@sha256:')) {
    const lastSegment = image.slice(image.lastIndexOf('/') + 1);
    const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.indexOf(':') + 1) : undefined;
    if (tag === undefined) violation('image-tag', `image ${image || '(none)'} has no tag`);
    else if (tag === 'latest') violation('image-tag', `image ${image} is tagged latest`);
    else if (!VERSION_TAG.test(tag)) violation('image-tag', `image ${image} is not tagged with a version`);
  }
  return found;
}

function matches(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  if (selector === undefined || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

function checkScaling(deployment: Workload, manifests: readonly Manifest[]): PolicyViolation[] {
  const found: PolicyViolation[] = [];
  const object = objectName(deployment);
  const autoscaled = manifests.some((manifest) => {
    if (manifest.kind !== 'HorizontalPodAutoscaler' || !manifest.apiVersion.startsWith('autoscaling/')) return false;
    const target = (manifest as Manifest & { spec?: { scaleTargetRef?: { kind?: string; name?: string } } }).spec?.scaleTargetRef;
    return target?.kind === 'Deployment' && target.name === deployment.metadata.name && manifest.metadata.namespace === deployment.metadata.namespace;
  });
  if (!autoscaled) found.push({ object, rule: 'autoscaler', detail: 'no HorizontalPodAutoscaler scales it' });
  else if (deployment.spec?.replicas !== undefined) {
    found.push({ object, rule: 'replicas-with-autoscaler', detail: 'sets replicas although an autoscaler owns the count (every apply would reset it)' });
  }
  const labels = deployment.spec?.template?.metadata?.labels ?? {};
  const budgeted = manifests.some((manifest) => {
    if (manifest.kind !== 'PodDisruptionBudget') return false;
    const selector = (manifest as Manifest & { spec?: { selector?: { matchLabels?: Record<string, string> } } }).spec?.selector?.matchLabels;
    return manifest.metadata.namespace === deployment.metadata.namespace && matches(selector, labels);
  });
  if (!budgeted) found.push({ object, rule: 'disruption-budget', detail: 'no PodDisruptionBudget selects its pods' });
  return found;
}
