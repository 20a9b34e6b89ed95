export { TokenError, type TokenErrorCode } from './token-error.js';
export { DpopError, type DpopErrorCode, type DpopOAuthError } from './dpop-error.js';
export { systemClock, type Clock } from './clock.js';
export { JWS_ALGORITHMS, isJwsAlgorithm, type JwsAlgorithm } from './jws-algorithms.js';
export type { JwsHeader, JwsHeaderParameters, JwtClaims } from './jwt-types.js';
export { issueJwt } from './issue-jwt.js';
export { verifyJwt, type JwtExpectations, type VerifiedJwt } from './verify-jwt.js';
export { type JsonWebKeySet, type KeyResolver, type VerificationKeys } from './verification-keys.js';
export { RotatingKeySet, type RotatingKeySetOptions } from './rotating-key-set.js';
export { RemoteJwks, type RemoteJwksOptions } from './remote-jwks.js';
export { createDpopProof, type DpopProofParameters } from './create-dpop-proof.js';
export { readDpopHeader } from './dpop-header.js';
export { verifyDpopProof, type DpopVerificationOptions, type VerifiedDpopProof } from './verify-dpop-proof.js';
export type { DpopClaims, DpopNonceCheck } from './dpop-claim-checks.js';
export { accessTokenHash } from './access-token-hash.js';
export { normalizeHtu } from './htu.js';
export { assertCnfBinding } from './cnf-binding.js';
export {
  issueInternalToken,
  verifyInternalToken,
  INTERNAL_TOKEN_TYPE,
  INTERNAL_TOKEN_MAX_LIFETIME_SECONDS,
  INTERNAL_TOKEN_ALGORITHMS,
  type InternalIdentity,
  type IssueInternalTokenOptions,
  type InternalTokenExpectations,
} from './internal-token.js';
