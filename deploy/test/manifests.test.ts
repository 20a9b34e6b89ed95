import { readFileSync } from 'node:fs';
import { validateAgainstApiSchema, validateAllAgainstApiSchema } from '../checks/api-schema.js';
import type { Manifest } from '../checks/manifest.js';
import { parseManifests } from '../checks/render.js';
import { parseRedisUrl } from '../../packages/store/src/redis-url.js';
import { OVERLAYS, SERVICES, deployDir, describeWithKubectl, find, renderOverlay } from './support/overlays.js';

interface PodTemplateOwner extends Manifest {
  spec: { template: { metadata: { labels: Record<string, string> }; spec: { containers: { env?: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[] }[] } } };
}

interface NetworkPolicyPeer {
  podSelector?: { matchLabels?: Record<string, string> };
  namespaceSelector?: { matchLabels?: Record<string, string> };
}

interface NetworkPolicy extends Manifest {
  spec: { podSelector: { matchLabels?: Record<string, string> }; policyTypes?: string[]; ingress?: { from?: NetworkPolicyPeer[] }[] };
}

/** Every peer allowed to open connections to pods carrying `labels`, by the policies that select them. */
function allowedPeers(objects: readonly Manifest[], labels: Record<string, string>): (NetworkPolicyPeer | 'anyone')[] {
  const policies = objects.filter((object): object is NetworkPolicy => object.kind === 'NetworkPolicy');
  return policies
    .filter((policy) => Object.entries(policy.spec.podSelector.matchLabels ?? {}).every(([key, value]) => labels[key] === value))
    .flatMap((policy) => (policy.spec.ingress ?? []).flatMap((rule): (NetworkPolicyPeer | 'anyone')[] => rule.from ?? ['anyone']));
}

const PROMETHEUS: NetworkPolicyPeer = {
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
  podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
};

describeWithKubectl('the kustomize overlays', () => {
  describe.each(OVERLAYS)('overlays/%s', (overlay) => {
    let objects: Manifest[];
    beforeAll(() => {
      objects = renderOverlay(overlay);
    });

    it('renders, and every object validates against the Kubernetes API schema', async () => {
      expect(objects.length).toBeGreaterThan(40);
      expect(await validateAllAgainstApiSchema(objects)).toEqual([]);
    });

    it.each(SERVICES)('gives %s a Deployment, Service, autoscaler, disruption budget, account and settings', (service) => {
      for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'ServiceAccount']) {
        expect(find(objects, kind, service)).toBeDefined();
      }
      expect(find(objects, 'HorizontalPodAutoscaler', service)?.apiVersion).toBe('autoscaling/v2');
      expect(find(objects, 'ConfigMap', `${service}-config`)).toBeDefined();
    });

    it('reads REDIS_URL from the Secret sigil-redis in every service', () => {
      for (const service of SERVICES) {
        const deployment = find<PodTemplateOwner>(objects, 'Deployment', service)!;
        const redis = deployment.spec.template.spec.containers[0]!.env?.find((variable) => variable.name === 'REDIS_URL');
        expect(redis?.valueFrom?.secretKeyRef?.key).toBe('url');
        expect(redis?.valueFrom?.secretKeyRef?.name).toMatch(/^sigil-redis/);
      }
    });

    it('denies ingress by default; only the proxy (and Prometheus) reach dav-storage', () => {
      const defaultDeny = objects.find((object) => object.kind === 'NetworkPolicy' && Object.keys((object as NetworkPolicy).spec.podSelector).length === 0) as NetworkPolicy | undefined;
      expect(defaultDeny?.spec.policyTypes).toContain('Ingress');
      expect(defaultDeny?.spec.ingress ?? []).toEqual([]);
      const dav = find<PodTemplateOwner>(objects, 'Deployment', 'dav-storage')!;
      const peers = allowedPeers(objects, dav.spec.template.metadata.labels);
      expect(peers.length).toBeGreaterThan(0);
      for (const peer of peers) {
        expect([{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'proxy', 'app.kubernetes.io/part-of': 'sigil' } } }, PROMETHEUS]).toContainEqual(peer);
      }
    });

    it('routes every public service through one TLS Ingress, by host, and never dav-storage', () => {
      const ingress = find<Manifest & { spec: { tls: { hosts: string[]; secretName: string }[]; rules: { host: string; http: { paths: { path: string; backend: { service: { name: string } } }[] } }[] } }>(
        objects,
        'Ingress',
        'sigil',
      )!;
      const tlsHosts = ingress.spec.tls.flatMap((tls) => tls.hosts);
      const backends = new Set<string>();
      for (const rule of ingress.spec.rules) {
        expect(tlsHosts).toContain(rule.host);
        for (const path of rule.http.paths) backends.add(path.backend.service.name);
      }
      expect([...backends].sort()).toEqual(['acme-resource', 'auth-server', 'idopte-bridge', 'ip-service', 'proxy', 'sigil-not-public']);
      const routed = ingress.spec.rules.flatMap((rule) => rule.http.paths.map((path) => `${rule.host.split('.')[0]} ${path.path}`));
      expect(routed).toEqual(expect.arrayContaining(['auth /', 'acme /acme', 'acme /directory', 'id /up', 'files /dav', 'idopte /anonymous/']));
    });
  });

  it('runs Redis with AOF persistence and no eviction in dev, reachable only from Sigil services', () => {
    const objects = renderOverlay('dev');
    const config = find<Manifest & { data: Record<string, string> }>(objects, 'ConfigMap', 'redis-config')!;
    expect(config.data['redis.conf']).toMatch(/^appendonly yes$/m);
    expect(config.data['redis.conf']).toMatch(/^maxmemory-policy noeviction$/m);
    const redis = find<PodTemplateOwner>(objects, 'StatefulSet', 'redis')!;
    expect(allowedPeers(objects, redis.spec.template.metadata.labels)).toEqual([
      { podSelector: { matchLabels: { 'app.kubernetes.io/component': 'server', 'app.kubernetes.io/part-of': 'sigil' } } },
    ]);
  });

  it('removes the in-cluster Redis in production, which uses an external one', () => {
    const objects = renderOverlay('production');
    expect(objects.filter((object) => object.metadata.name.startsWith('redis'))).toEqual([]);
    expect(objects.filter((object) => object.kind === 'Secret')).toEqual([]);
  });
});

describe('the production Redis Secret example', () => {
  it('is a valid Secret whose url is a Sentinel URL the store accepts', async () => {
    const [secret] = parseManifests(readFileSync(`${deployDir}/k8s/overlays/production/sigil-redis.example.yaml`, 'utf8'));
    expect(await validateAgainstApiSchema(secret!)).toBeUndefined();
    const url = (secret as Manifest & { stringData: { url: string } }).stringData.url;
    expect(parseRedisUrl(url)).toMatchObject({ mode: 'sentinel', masterName: 'sigil' });
  });
});
