import { request } from 'node:http';
import { startHttp, type RunningServer } from '@sigil/testkit';
import { actingAs, ExchangeRecorder, ParticipantMap, sequenceDiagram, serveAs } from '../src/index.js';

/** A PUT with a body streamed after the request is made, through node:http. */
function put(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'PUT', headers: { 'content-type': 'text/plain' } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    outgoing.on('error', reject);
    outgoing.write(body);
    setTimeout(() => outgoing.end(), 10);
  });
}

describe('ExchangeRecorder', () => {
  let storage: RunningServer;
  let gateway: RunningServer;
  const participants = new ParticipantMap();

  beforeAll(async () => {
    storage = await startHttp((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(201).end());
    });
    // The gateway asks the storage with fetch for a GET, and streams a PUT's body on with node:http.
    gateway = await startHttp((req, res) => {
      if (req.method === 'PUT') {
        const upstream = request(`${storage.url}${req.url}`, { method: 'PUT' }, (answer) => {
          res.writeHead(answer.statusCode ?? 502).end();
          answer.resume();
        });
        req.pipe(upstream);
        return;
      }
      fetch(`${storage.url}/ping`).then(
        (answer) => res.writeHead(answer.status === 201 ? 200 : 502).end(),
        () => res.writeHead(502).end(),
      );
    });
    serveAs(storage.server, 'storage');
    serveAs(gateway.server, 'gateway');
    participants.add(storage.url, 'storage');
    participants.add(gateway.url, 'gateway');
  });
  afterAll(async () => {
    await gateway?.close();
    await storage?.close();
  });

  it('attributes each exchange to whoever made it: the client, or the server while it served a request', async () => {
    const recorder = new ExchangeRecorder(participants);
    recorder.start();
    try {
      await actingAs('client', async () => {
        await (await fetch(`${gateway.url}/hello`)).text();
        expect(await put(`${gateway.url}/file.txt`, 'content')).toBe(201);
      });
      // Requests no participant makes are not part of any journey.
      await (await fetch(`${storage.url}/unattributed`)).text();
    } finally {
      recorder.stop();
    }
    expect(sequenceDiagram(recorder.take()).split('\n').slice(1)).toEqual([
      '    participant client',
      '    participant gateway',
      '    participant storage',
      '    client->>gateway: GET /hello',
      '    gateway->>storage: GET /ping',
      '    storage-->>gateway: 201',
      '    gateway-->>client: 200',
      '    client->>gateway: PUT /file.txt',
      '    gateway->>storage: PUT /file.txt',
      '    storage-->>gateway: 201',
      '    gateway-->>client: 201',
    ]);
  });
});
