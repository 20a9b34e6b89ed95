// The HTTP client of bench/token.ts, in a process of its own so that the
// service's event loop carries only the service. It is thin on purpose: one
// kept-alive socket per lane, requests encoded before the clock starts,
// replies framed by Content-Length. It receives the bodies over IPC and
// answers the elapsed time and how many replies were 200.
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';

function lane(host, port, requests, next, results) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, noDelay: true });
    let buffer = Buffer.alloc(0);
    const send = () => {
      const index = next.value++;
      if (index >= requests.length) {
        socket.end();
        resolve();
        return;
      }
      socket.write(requests[index]);
    };
    socket.on('connect', send);
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      for (;;) {
        const headerEnd = buffer.indexOf('\r\n\r\n');
        if (headerEnd < 0) return;
        const head = buffer.subarray(0, headerEnd).toString('latin1');
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffer.length < headerEnd + 4 + length) return;
        if (head.startsWith('HTTP/1.1 200')) results.ok += 1;
        buffer = buffer.subarray(headerEnd + 4 + length);
        send();
      }
    });
  });
}

process.once('message', async ({ url, path, bodies, inFlight }) => {
  const { hostname, port } = new URL(url);
  const requests = bodies.map((body) =>
    Buffer.from(`POST ${path} HTTP/1.1\r\nhost: ${hostname}:${port}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`),
  );
  const next = { value: 0 };
  const results = { ok: 0 };
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, () => lane(hostname, Number(port), requests, next, results)));
  const elapsedMs = performance.now() - started;
  process.send({ elapsedMs, ok: results.ok }, () => process.exit(0));
});
