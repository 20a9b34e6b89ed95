import { randomBytes, X509Certificate } from 'node:crypto';
import { createEnvironment, findService, idopteCommand } from '../clients/idopte-client.js';
import { check } from '../runner/checks.js';
import { PEERS } from '../topology/topology.js';
import type { Journey } from './journey.js';

const CLIENT = 'web client';
const BRIDGE = 'idopte-bridge';

/**
 * The parsec-idopte-mutual-auth seed: the web client fetches the service
 * certificate, hands it with a challenge to the middleware, passes the
 * middleware's signed challenge and its challenge for the server to
 * idopte-bridge, and gives the server's signature back to the middleware,
 * which checks it against the certificate. Each middleware challenge is
 * accepted once.
 */
export const idopteJourney: Journey = {
  name: 'idopte',
  label: 'Idopte',
  title: 'mutual authentication of the server and the (simulated) smart-card middleware',
  async run(steps, world) {
    const bridge = world.urls['idopte-bridge'];
    const middleware = world.idopteMiddlewareUrl;

    const certificate = await steps.run(CLIENT, BRIDGE, 'idopte_certificate', async (note) => {
      const reply = await idopteCommand(bridge, 'idopte_certificate');
      check(reply.status === 'ok' && reply.certificate instanceof Buffer, `status ${String(reply.status)}`);
      const parsed = new X509Certificate(reply.certificate);
      note(`status ok: the service certificate, ${reply.certificate.length} bytes as configured (${parsed.subject.replaceAll('\n', ', ')})`);
      return reply.certificate;
    });

    const handshake = await steps.run(CLIENT, PEERS.middleware, 'findService: the certificate and a fresh challenge', async (note) => {
      const handshake = await findService(middleware, certificate, randomBytes(32));
      note(`the challenge signed with Idopte key ${handshake.pubkey_id} (${handshake.middleware_signature.length * 8}-bit RSA, raw PKCS#1 v1.5), and a ${handshake.server_challenge.length}-byte challenge for the server`);
      return handshake;
    });
    const challengeFields = {
      middleware_challenge: handshake.middleware_challenge,
      middleware_signature: handshake.middleware_signature,
      server_challenge: handshake.server_challenge,
      pubkey_id: handshake.pubkey_id,
    };

    const serverSignature = await steps.run(CLIENT, BRIDGE, 'idopte_challenge: the signed challenge and the server challenge', async (note) => {
      const reply = await idopteCommand(bridge, 'idopte_challenge', challengeFields);
      check(reply.status === 'ok' && reply.server_signature instanceof Buffer, `status ${String(reply.status)}`);
      note(`status ok: the middleware's signature holds; server_signature, ${reply.server_signature.length} bytes`);
      return reply.server_signature;
    });

    await steps.run(CLIENT, PEERS.middleware, "createEnvironment: the server's signature", async (note) => {
      const reply = await createEnvironment(middleware, handshake.environment, serverSignature);
      note(`environment ${String(reply.environment)}: the signature is the certificate key's; both sides are authenticated`);
    });

    await steps.run(CLIENT, BRIDGE, 'idopte_challenge again with the same middleware challenge (a replay)', async (note) => {
      const reply = await idopteCommand(bridge, 'idopte_challenge', challengeFields);
      check(reply.status === 'invalid_middleware_signature', `a replayed challenge got status ${String(reply.status)}`);
      note('status invalid_middleware_signature: a middleware challenge buys one server signature');
    });
  },
};
