import { commonSettings, setting, settingTypes } from '@sigil/service-kit';
import { validateAgainstApiSchema } from '../checks/api-schema.js';
import type { Manifest } from '../checks/manifest.js';
import { checkManifests, type PolicyRule } from '../checks/manifest-policy.js';
import { metricNamesIn } from '../checks/promql-metrics.js';
import { checkServiceSettings } from '../checks/service-settings.js';

// Small manifests, good and bad, to show that each check catches what it is for.

type Mutable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test fixtures are edited freely

function deployment(): Mutable {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'x' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'web',
              image: 'ghcr.io/example/web:1.2.3',
              ports: [{ name: 'http', containerPort: 8080 }],
              envFrom: [{ configMapRef: { name: 'web-config' } }],
              resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              readinessProbe: { httpGet: { path: '/readyz', port: 'http' } },
              livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
              volumeMounts: [{ name: 'keys', mountPath: '/var/run/secrets/sigil' }],
            },
          ],
        },
      },
    },
  };
}

const autoscaler = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'x' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 4 },
};
const budget = {
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'web', namespace: 'x' },
  spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
};
const served = { servedPaths: (name: string) => (name === 'web' ? ['/healthz', '/readyz'] : undefined) };

function rulesBroken(change: (workload: Mutable) => void, others: Mutable[] = [autoscaler, budget]): PolicyRule[] {
  const workload = deployment();
  change(workload);
  return [...new Set(checkManifests([workload, ...others] as Manifest[], served).map((violation) => violation.rule))];
}

const container = (workload: Mutable): Mutable => workload.spec.template.spec.containers[0];

describe('the deployment policy checks', () => {
  it('accept a Deployment that follows every rule', () => {
    expect(rulesBroken(() => {})).toEqual([]);
  });

  it.each<[string, (workload: Mutable) => void, PolicyRule]>([
    ['no readiness probe', (w) => delete container(w).readinessProbe, 'probes'],
    ['no liveness probe', (w) => delete container(w).livenessProbe, 'probes'],
    ['a probe on an undeclared port', (w) => (container(w).livenessProbe.httpGet.port = 'metrics'), 'probes'],
    ['a probe path the service does not answer', (w) => (container(w).readinessProbe.httpGet.path = '/ready'), 'probe-path'],
    ['no memory limit', (w) => delete container(w).resources.limits.memory, 'resources'],
    ['no resources at all', (w) => delete container(w).resources, 'resources'],
    ['runAsNonRoot missing', (w) => delete w.spec.template.spec.securityContext.runAsNonRoot, 'non-root'],
    ['runAsUser 0', (w) => (container(w).securityContext.runAsUser = 0), 'non-root'],
    ['privilege escalation allowed', (w) => (container(w).securityContext.allowPrivilegeEscalation = true), 'privilege-escalation'],
    ['a writable root filesystem', (w) => delete container(w).securityContext.readOnlyRootFilesystem, 'read-only-root'],
    ['capabilities kept', (w) => (container(w).securityContext.capabilities = { drop: ['NET_RAW'] }), 'capabilities'],
    ['no seccomp profile', (w) => delete w.spec.template.spec.securityContext.seccompProfile, 'seccomp'],
    ['an image tagged latest', (w) => (container(w).image = 'ghcr.io/example/web:latest'), 'image-tag'],
    ['an image without a tag', (w) => (container(w).image = 'ghcr.io/example/web'), 'image-tag'],
    ['an image tagged with a branch', (w) => (container(w).image = 'registry:5000/web:main'), 'image-tag'],
    ['replicas beside an autoscaler', (w) => (w.spec.replicas = 3), 'replicas-with-autoscaler'],
    ['an init container without limits', (w) => (w.spec.template.spec.initContainers = [{ ...container(w), name: 'init', resources: {} }]), 'resources'],
  ])('refuse %s', (_what, change, rule) => {
    expect(rulesBroken(change)).toEqual([rule]);
  });

  it('accept an image pinned by digest, and a probe of a service they cannot check is reported', () => {
    expect(rulesBroken((w) => (container(w).image = `ghcr.io/example/web@sha256:${'a'.repeat(64)}`))).toEqual([]);
    expect(rulesBroken((w) => (w.metadata.name = 'unknown'), [{ ...autoscaler, spec: { ...autoscaler.spec, scaleTargetRef: { kind: 'Deployment', name: 'unknown' } } }, budget])).toEqual(['probe-path']);
  });

  it('refuse a Deployment without an autoscaler, or whose autoscaler scales something else', () => {
    expect(rulesBroken(() => {}, [budget])).toEqual(['autoscaler']);
    expect(rulesBroken(() => {}, [{ ...autoscaler, spec: { ...autoscaler.spec, scaleTargetRef: { kind: 'Deployment', name: 'other' } } }, budget])).toEqual(['autoscaler']);
  });

  it('refuse a Deployment without a disruption budget selecting its pods', () => {
    expect(rulesBroken(() => {}, [autoscaler])).toEqual(['disruption-budget']);
    expect(rulesBroken(() => {}, [autoscaler, { ...budget, spec: { minAvailable: 1, selector: { matchLabels: { app: 'api' } } } }])).toEqual(['disruption-budget']);
  });
});

describe('the settings check', () => {
  const schemas = new Map([
    [
      'web',
      {
        ...commonSettings(8080),
        key: setting('WEB_KEY', 'A key file.', settingTypes.text, { secret: true }),
        mode: setting('WEB_MODE', 'A switch.', settingTypes.boolean, { default: 'false' }),
      },
    ],
  ]);
  const config = (data: Record<string, string>): Manifest => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config' }, data }) as Manifest;
  const good = { NODE_ENV: 'production', PORT: '8080', WEB_KEY: '/var/run/secrets/sigil/key.pem', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };

  it('accepts settings the service declares, with values it parses, on mounted files', () => {
    expect(checkServiceSettings([deployment() as Manifest, config(good)], schemas)).toEqual([]);
    expect(checkServiceSettings([deployment() as Manifest, config({ ...good, WEB_KEY: undefined!, WEB_KEY_FILE: '/var/run/secrets/sigil/key' })], schemas)).toEqual([]);
  });

  it.each([
    ['an unknown variable', { ...good, WEB_MDOE: 'true' }, 'WEB_MDOE is not a setting of web'],
    ['a value the schema refuses', { ...good, WEB_MODE: 'maybe' }, 'WEB_MODE=maybe is refused by the settings schema'],
    ['a file on no volume', { ...good, WEB_KEY: '/etc/sigil/key.pem' }, 'WEB_KEY names /etc/sigil/key.pem, which is on no mounted volume'],
    ['a PORT that is not the container port', { ...good, PORT: '9090' }, 'PORT 9090 is not the http port 8080'],
    ['a required setting missing in production', { NODE_ENV: 'production', PORT: '8080' }, 'WEB_KEY is required in production and not set'],
    ['_FILE for a setting that is not secret', { ...good, WEB_MODE_FILE: '/var/run/secrets/sigil/mode' }, 'WEB_MODE_FILE is not read (WEB_MODE is not a secret setting)'],
  ])('reports %s', (_what, data, message) => {
    const problems = checkServiceSettings([deployment() as Manifest, config(data as Record<string, string>)], schemas);
    expect(problems).toEqual([`Deployment/web container web: ${message}`]);
  });
});

describe('the API schema validation', () => {
  it('reports a field of the wrong type, a missing required field, and an unknown kind', async () => {
    const bad = deployment();
    container(bad).ports[0].containerPort = '8080';
    delete bad.spec.selector;
    const finding = await validateAgainstApiSchema(bad as Manifest);
    expect(finding?.problems).toEqual(expect.arrayContaining(['/spec/template/spec/containers/0/ports/0/containerPort must be integer', '/spec must have required property selector']));
    const unknown = await validateAgainstApiSchema({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    expect(unknown?.problems[0]).toMatch(/^unknown API type example\.com\/v1 Widget/);
    expect(await validateAgainstApiSchema(deployment() as Manifest)).toBeUndefined();
  });
});

describe('metric names in PromQL', () => {
  it.each([
    ['rate(http_requests_total{status=~"5.."}[5m])', ['http_requests_total']],
    ['histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket[5m]))) > 1', ['http_request_duration_seconds_bucket']],
    ['sum by (service) (a_total) / on(service) group_left(route) b_total > 400e6', ['a_total', 'b_total']],
    ['min by (service) (sigil_store_up{service=~"$service"}) == 0 and changes(process_start_time_seconds[$__rate_interval]) > 2', ['sigil_store_up', 'process_start_time_seconds']],
  ])('finds the metrics of %s', (expression, names) => {
    expect(metricNamesIn(expression).sort()).toEqual([...names].sort());
  });
});
