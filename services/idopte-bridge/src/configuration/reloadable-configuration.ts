import type { Logger } from '@sigil/service-kit';
import type { IdopteConfiguration } from '../domain/idopte-configuration.js';
import type { IdopteFiles } from './idopte-files.js';
import { loadIdopteConfiguration, type IdopteKeyOptions } from './load-idopte-configuration.js';

/** The configuration one request works with, from its start to its reply, whatever reloads meanwhile. */
export interface ConfigurationLease {
  /** Undefined when Idopte is not configured. */
  readonly configuration: IdopteConfiguration | undefined;
  /** Ends the lease; the last release of a replaced configuration closes its service key. */
  release(): void;
}

interface Generation {
  readonly configuration: IdopteConfiguration | undefined;
  leases: number;
  /** Replaced (or the service is closing): its key closes when its last lease ends. */
  retired: boolean;
  closed: boolean;
}

/**
 * The Idopte configuration, replaced whole by `reload()`: the files are read
 * and the key opened first, and only a complete new configuration takes the
 * place of the old one; a bad file keeps the old one and logs why. A
 * replaced configuration stays usable by the requests that leased it, and its
 * service key (a token session) is closed when the last of them is done.
 */
export class ReloadableIdopteConfiguration {
  readonly #files: IdopteFiles | undefined;
  readonly #options: IdopteKeyOptions;
  readonly #logger: Logger;
  #current: Generation;
  #reloads: Promise<boolean> = Promise.resolve(true);
  #closed = false;
  readonly #closing = new Set<Promise<void>>();

  private constructor(files: IdopteFiles | undefined, options: IdopteKeyOptions, logger: Logger, configuration: IdopteConfiguration | undefined) {
    this.#files = files;
    this.#options = options;
    this.#logger = logger;
    this.#current = { configuration, leases: 0, retired: false, closed: false };
  }

  /** Loads the files named at start-up (none: Idopte off); a bad one is a ConfigError. */
  static async open(files: IdopteFiles | undefined, options: IdopteKeyOptions, logger: Logger): Promise<ReloadableIdopteConfiguration> {
    const configuration = files === undefined ? undefined : await loadIdopteConfiguration(files, options);
    const reloadable = new ReloadableIdopteConfiguration(files, options, logger, configuration);
    reloadable.#logLoaded('Idopte configuration loaded');
    return reloadable;
  }

  acquire(): ConfigurationLease {
    const generation = this.#current;
    generation.leases += 1;
    let released = false;
    return {
      configuration: generation.configuration,
      release: () => {
        if (released) return;
        released = true;
        generation.leases -= 1;
        this.#closeWhenIdle(generation);
      },
    };
  }

  /** Re-reads the files; true when the new configuration is in place. Reloads run one after another. */
  reload(): Promise<boolean> {
    this.#reloads = this.#reloads.then(() => this.#reloadNow());
    return this.#reloads;
  }

  /** Closes the current service key once its requests are done, and any still draining. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#reloads;
    this.#current.retired = true;
    this.#closeWhenIdle(this.#current);
    await Promise.all(this.#closing);
  }

  async #reloadNow(): Promise<boolean> {
    if (this.#closed) return false;
    if (this.#files === undefined) {
      this.#logger.info('Idopte is not configured: nothing to reload');
      return true;
    }
    let configuration: IdopteConfiguration;
    try {
      configuration = await loadIdopteConfiguration(this.#files, this.#options);
    } catch (error) {
      // A ConfigError's message names the setting and the file, never key material.
      const { message, code } = error as Error & { code?: unknown };
      this.#logger.error({ code, reason: message }, 'Idopte configuration not reloaded; the previous one stays in use');
      return false;
    }
    if (this.#closed) {
      // Closed while the files were loading: the new key would never be used.
      await configuration.serviceKey.signer.close?.();
      return false;
    }
    const previous = this.#current;
    this.#current = { configuration, leases: 0, retired: false, closed: false };
    previous.retired = true;
    this.#closeWhenIdle(previous);
    this.#logLoaded('Idopte configuration reloaded');
    return true;
  }

  #closeWhenIdle(generation: Generation): void {
    if (!generation.retired || generation.closed || generation.leases > 0) return;
    generation.closed = true;
    const signer = generation.configuration?.serviceKey.signer;
    if (signer?.close === undefined) return;
    const closing = signer.close().catch((error: unknown) => {
      this.#logger.warn({ reason: (error as Error).message }, 'closing a replaced Idopte service key failed');
    });
    this.#closing.add(closing);
    void closing.finally(() => this.#closing.delete(closing));
  }

  #logLoaded(message: string): void {
    const configuration = this.#current.configuration;
    if (configuration === undefined) {
      this.#logger.info('Idopte is not configured: every command answers not_available');
      return;
    }
    const { middlewareKeys, serviceKey, certificate } = configuration;
    this.#logger.info(
      {
        middlewareKeys: middlewareKeys.size,
        revokedMiddlewareKeys: middlewareKeys.revoked,
        serviceKey: serviceKey.source,
        serviceKeyBits: (serviceKey.maxChallengeLength + 11) * 8,
        certificateBytes: certificate.length,
      },
      message,
    );
  }
}
