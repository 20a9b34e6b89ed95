import { existsSync } from 'node:fs';
import pkcs11js from 'pkcs11js';
import type { PKCS11 } from 'pkcs11js';
import { Pkcs11Error } from './errors.js';
import { pkcs11Failure, returnValueOf } from './pkcs11-failure.js';

/**
 * A loaded, initialized PKCS#11 module shared by every signer of the process
 * that names the same path: C_Initialize may succeed only once per process
 * (PKCS#11 v2.40 §5.4), so signers take a reference and the module is
 * finalized when the last one lets go.
 */
export interface Pkcs11Module {
  readonly path: string;
  readonly pkcs11: PKCS11;
  /**
   * Finalizes and re-initializes the module when the caller is its only user,
   * so the module re-reads its token list (SoftHSM, for one, only sees tokens
   * that existed at C_Initialize). Returns false when others still use it.
   */
  rescan(): boolean;
  /** Drops this reference; the last one finalizes the module. Idempotent. */
  release(): void;
}

interface LoadedModule {
  readonly pkcs11: PKCS11;
  users: number;
  /** False when another part of the process had initialized the module first: then it is theirs to finalize. */
  ownsInitialization: boolean;
}

const loaded = new Map<string, LoadedModule>();

/** Loads (or shares) the module at `path`; `ERR_PKCS11_MODULE_NOT_FOUND` when it cannot be loaded or initialized. */
export function acquirePkcs11Module(path: string): Pkcs11Module {
  let entry = loaded.get(path);
  if (entry === undefined) {
    entry = load(path);
    loaded.set(path, entry);
  }
  entry.users += 1;
  const module = entry;
  let released = false;
  return {
    path,
    pkcs11: module.pkcs11,
    rescan: () => {
      if (module.users !== 1) return false;
      // Forced even when another copy of this package initialized the module
      // (a test runner's earlier module registry): no signer here would lose a session.
      finalize(module, true);
      module.ownsInitialization = initialize(module.pkcs11, path);
      return true;
    },
    release: () => {
      if (released) return;
      released = true;
      module.users -= 1;
      if (module.users > 0) return;
      loaded.delete(path);
      finalize(module);
      try {
        module.pkcs11.close();
      } catch {
        // Unloading is best effort; the module stays mapped until exit.
      }
    },
  };
}

function load(path: string): LoadedModule {
  if (path === '' || !existsSync(path)) {
    throw new Pkcs11Error('ERR_PKCS11_MODULE_NOT_FOUND', `no PKCS#11 module at ${path === '' ? '(empty path)' : path}`);
  }
  const pkcs11 = new pkcs11js.PKCS11();
  try {
    pkcs11.load(path);
  } catch (error) {
    throw new Pkcs11Error('ERR_PKCS11_MODULE_NOT_FOUND', `cannot load the PKCS#11 module ${path}`, { cause: error });
  }
  try {
    return { pkcs11, users: 0, ownsInitialization: initialize(pkcs11, path) };
  } catch (error) {
    pkcs11.close();
    throw error;
  }
}

/** Returns whether this call did the initialization. */
function initialize(pkcs11: PKCS11, path: string): boolean {
  try {
    // CKF_OS_LOCKING_OK: signing runs on libuv worker threads (C_SignAsync) while other calls stay on the main thread.
    pkcs11.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
    return true;
  } catch (error) {
    if (returnValueOf(error) === 'CKR_CRYPTOKI_ALREADY_INITIALIZED') return false;
    const failure = pkcs11Failure(error, `initializing the PKCS#11 module ${path}`);
    throw new Pkcs11Error('ERR_PKCS11_MODULE_NOT_FOUND', failure.message, {
      cause: error,
      ...(failure.returnValue === undefined ? {} : { returnValue: failure.returnValue }),
    });
  }
}

function finalize(module: LoadedModule, force = false): void {
  if (!module.ownsInitialization && !force) return;
  try {
    module.pkcs11.C_Finalize();
  } catch {
    // Already finalized elsewhere: nothing left to release.
  }
}
