/**
 * Checks what every Sigil service answers, whatever its protocol: liveness,
 * readiness, Prometheus metrics, and a 404 problem document for an unknown path.
 */
export async function expectStandardEndpoints(baseUrl: string): Promise<void> {
  const health = await fetch(`${baseUrl}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok' });

  const ready = await fetch(`${baseUrl}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toMatchObject({ status: 'ready' });

  const missing = await fetch(`${baseUrl}/no/such/path`);
  expect(missing.status).toBe(404);
  expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(await missing.json()).toMatchObject({ status: 404, title: 'Not Found' });
  expect(missing.headers.get('x-request-id')).toBeTruthy();

  const metrics = await fetch(`${baseUrl}/metrics`);
  expect(metrics.status).toBe(200);
  const text = await metrics.text();
  expect(text).toContain('http_requests_total');
  expect(text).toContain('http_request_duration_seconds_bucket');
}
