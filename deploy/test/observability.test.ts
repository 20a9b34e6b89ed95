import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { exposedMetricNames, metricNamesIn } from '../checks/promql-metrics.js';
import { SERVICES, deployDir } from './support/overlays.js';
import { startLocally } from '../checks/local-services.js';

/** Series Prometheus makes itself for every target it scrapes. */
const SCRAPE_SERIES = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped'];

/**
 * Counters the dashboard shows that services are to export (named here so
 * that they appear in the dashboard the day they do):
 * acme-resource counts the certificates it issues, and each issuer the
 * tokens it issues, by `type` (access_token, id_token, refresh_token, …).
 */
const ANNOUNCED = ['sigil_certificates_issued_total', 'sigil_tokens_issued_total'];

interface Rule {
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

interface Panel {
  id: number;
  type: string;
  title: string;
  targets?: { expr: string; datasource?: { uid?: string } }[];
  panels?: Panel[];
}

// What the services really expose: each one is started and its /metrics read
// after a few requests (a histogram shows its series once it has observed one).
const exported = new Set<string>();
beforeAll(async () => {
  for (const name of SERVICES) {
    const service = await startLocally(name);
    try {
      for (const path of ['/healthz', '/readyz', '/no/such/path']) await fetch(`${service.running.url}${path}`);
      for (const metric of exposedMetricNames(await (await fetch(`${service.running.url}/metrics`)).text())) exported.add(metric);
    } finally {
      await service.stop();
    }
  }
}, 120_000);

describe('what the services expose', () => {
  it('includes the request, store and process metrics the rules and the dashboard read', () => {
    for (const metric of ['http_requests_total', 'http_request_duration_seconds_bucket', 'sigil_store_up', 'process_resident_memory_bytes', 'process_start_time_seconds', 'nodejs_eventloop_lag_p99_seconds']) {
      expect(exported).toContain(metric);
    }
  });
});

describe('deploy/observability/prometheus-rules.yaml', () => {
  const rules = (parse(readFileSync(`${deployDir}/observability/prometheus-rules.yaml`, 'utf8')) as { groups: { name: string; rules: Rule[] }[] }).groups.flatMap(
    (group) => group.rules,
  );

  it('holds alerting rules with a severity and a summary each', () => {
    expect(rules.length).toBeGreaterThanOrEqual(6);
    for (const rule of rules) {
      expect(rule.alert).toMatch(/^Sigil[A-Z]\w+$/);
      expect(['critical', 'warning', 'info']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary).toBeTruthy();
      expect(rule.annotations?.description).toBeTruthy();
    }
    expect(new Set(rules.map((rule) => rule.alert)).size).toBe(rules.length);
  });

  it('reads only metrics the services export', () => {
    for (const rule of rules) {
      const names = metricNamesIn(rule.expr);
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) expect({ alert: rule.alert, metric: name, exported: exported.has(name) || SCRAPE_SERIES.includes(name) }).toMatchObject({ exported: true });
    }
  });

  it('alerts on errors, latency and the store', () => {
    const reads = (metric: string) => rules.some((rule) => metricNamesIn(rule.expr).includes(metric));
    for (const metric of ['http_requests_total', 'http_request_duration_seconds_bucket', 'sigil_store_up']) expect(reads(metric)).toBe(true);
  });
});

describe('deploy/observability/grafana-dashboard.json', () => {
  const dashboard = JSON.parse(readFileSync(`${deployDir}/observability/grafana-dashboard.json`, 'utf8')) as {
    uid: string;
    panels: Panel[];
    templating: { list: { name: string; type: string }[] };
  };
  const panels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
  const queries = panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, ...target })));

  it('is a dashboard with a data source and a service variable, and unique panel ids', () => {
    expect(dashboard.uid).toBe('sigil-services');
    expect(dashboard.templating.list.map((variable) => `${variable.name}:${variable.type}`)).toEqual(['datasource:datasource', 'service:query']);
    expect(new Set(panels.map((panel) => panel.id)).size).toBe(panels.length);
    for (const query of queries) expect(query.datasource?.uid).toBe('${datasource}');
  });

  it('reads only metrics the services export, or the announced issuance counters', () => {
    for (const query of queries) {
      for (const name of metricNamesIn(query.expr)) {
        expect({ panel: query.panel, metric: name, known: exported.has(name) || ANNOUNCED.includes(name) }).toMatchObject({ known: true });
      }
    }
  });

  it('shows request rate, error rate and latency per service and route, store availability, issuance and token counts', () => {
    const titles = panels.map((panel) => panel.title);
    for (const title of [
      'Request rate by service',
      'Request rate by route',
      'Error rate by service',
      'Errors by route and status',
      'Latency p50 / p95 / p99 by service',
      'Latency p50 / p95 / p99 by route',
      'Store availability',
      'Certificates issued',
      'Tokens issued by type',
    ]) {
      expect(titles).toContain(title);
    }
    const latency = queries.filter((query) => query.panel.startsWith('Latency')).map((query) => query.expr);
    for (const quantile of ['0.5', '0.95', '0.99']) expect(latency.some((expr) => expr.startsWith(`histogram_quantile(${quantile},`))).toBe(true);
    expect(queries.some((query) => query.expr.includes('by (service, route)'))).toBe(true);
  });
});
