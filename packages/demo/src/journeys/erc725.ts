import { decodeJwt, decodeProtectedHeader } from 'jose';
import { requestAppSignature, requestToken, UpRequestRefused, verifyToken } from '../clients/up-client.js';
import { check, expectStatus } from '../runner/checks.js';
import { PEERS } from '../topology/topology.js';
import type { Journey } from './journey.js';

const CLIENT = 'ERC725 client';
const IP = 'ip-service';

/**
 * The erc725-ip-service seed: the client has the ip-service sign a random
 * message for the app, signs that signature with its own key, and gets a
 * JWT for its Universal Profile (the ip-service reads the key's SIGN
 * permission from the chain); a resource service verifies the token with
 * a stock library through the ip-service's discovery and JWKS.
 */
export const erc725Journey: Journey = {
  name: 'erc725',
  label: 'ERC725',
  title: 'sign-in with a Universal Profile on a local chain; a resource service verifies the token through JWKS',
  async run(steps, world) {
    const ip = world.urls['ip-service'];
    const { appAddress, profileAddress, controller, stranger, wardrobeUrl } = world.erc725;

    const signed = await steps.run(CLIENT, IP, "/up/sign: a random message M for the app's profile", async (note) => {
      const signed = await requestAppSignature(ip, appAddress);
      note(`M signed by the app's controller key ${signed.controllerKeyOfApp} (EIP-191, 65 bytes)`);
      return signed;
    });

    const token = await steps.run(CLIENT, IP, `/up/token for profile ${profileAddress}, signed by the user's key`, async (note) => {
      const answer = await requestToken(ip, signed, controller, profileAddress, [wardrobeUrl]);
      const claims = decodeJwt(answer.token);
      const header = decodeProtectedHeader(answer.token);
      check(claims.erc725Address === profileAddress && claims.sub === controller.address, 'the token names another profile or key');
      note(`${header.alg} JWT (kid ${String(header.kid).slice(0, 8)}…): sub ${claims.sub}, erc725Address ${String(claims.erc725Address)}, aud ${String(claims.aud)}, ${answer.expiresIn} s`);
      return answer.token;
    });

    await steps.run(CLIENT, PEERS.wardrobe, 'GET /wardrobe with the token (Bearer)', async (note) => {
      const response = await fetch(`${wardrobeUrl}/wardrobe`, { headers: { authorization: `Bearer ${token}` } });
      const body = JSON.parse(await expectStatus(response, 200, 'the wardrobe')) as { owner: string; items: string[] };
      note(`verified with jose through the ip-service's discovery and JWKS: ${body.items.length} items of ${body.owner}`);
    });

    await steps.run(CLIENT, IP, '/up/token/verify (the seed’s other way to verify)', async (note) => {
      const identity = await verifyToken(ip, token);
      check(identity.erc725Address === profileAddress, `the ip-service names ${identity.erc725Address}`);
      note(`erc725Address ${identity.erc725Address}, erc725ControllerKey ${identity.erc725ControllerKey}`);
    });

    await steps.run(CLIENT, IP, `/up/token for the same profile, signed by a key without SIGN (${stranger.address})`, async (note) => {
      const fresh = await requestAppSignature(ip, appAddress);
      try {
        await requestToken(ip, fresh, stranger, profileAddress, [wardrobeUrl]);
      } catch (error) {
        if (error instanceof UpRequestRefused && error.problemType === 'urn:sigil:problem:permission-denied') {
          note(`refused: ${error.status} permission-denied (the profile grants this key no SIGN permission)`);
          return;
        }
        throw error;
      }
      check(false, 'a key without SIGN got a token for the profile');
    });
  },
};
