/** The service key did not sign (a token that is gone or refuses); no signature was given out. */
export class ServiceKeyFailure extends Error {
  readonly code = 'IDOPTE_SERVICE_KEY_FAILED';

  constructor(options: ErrorOptions) {
    super('the service key could not sign the server challenge', options);
    this.name = 'ServiceKeyFailure';
  }
}
