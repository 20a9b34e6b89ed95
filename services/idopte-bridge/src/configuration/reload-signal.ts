import type { ReloadableIdopteConfiguration } from './reloadable-configuration.js';

/** The configurations of every idopte-bridge running in this process (one in production; several in tests). */
const running = new Set<ReloadableIdopteConfiguration>();

function onSighup(): void {
  // Each reload logs its own outcome; a failed one keeps the previous configuration.
  void reloadIdopteConfiguration();
}

/**
 * Re-reads the Idopte files of every idopte-bridge in this process, as SIGHUP
 * does; true when every one took its new configuration.
 */
export async function reloadIdopteConfiguration(): Promise<boolean> {
  const outcomes = await Promise.all([...running].map((configuration) => configuration.reload()));
  return outcomes.every(Boolean);
}

/** Reloads `configuration` on SIGHUP until the returned function is called (at the service's close). */
export function reloadOnSighup(configuration: ReloadableIdopteConfiguration): () => void {
  running.add(configuration);
  if (running.size === 1) process.on('SIGHUP', onSighup);
  return () => {
    if (running.delete(configuration) && running.size === 0) process.off('SIGHUP', onSighup);
  };
}
