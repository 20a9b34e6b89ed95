export { describeWhen, describeWithRedis, reachable, redisUrl, runningInCi, testKeyPrefix } from './environment.js';
export { startHttp, type RunningServer } from './http-server.js';
export { createTcpRelay, type TcpRelay } from './tcp-relay.js';
export { fixtureKey, type FixtureKey, type FixtureKeyKind } from './keys.js';
export { createSoftHsmToken, softHsmAvailable, type SoftHsmToken } from './softhsm.js';
export { expectStandardEndpoints } from './standard-endpoints.js';
export { describeWithSlapd, slapdAvailable, startSlapd, type SlapdDirectory, type SlapdOptions } from './slapd.js';
export { rawRequest, type RawResponse } from './raw-request.js';
