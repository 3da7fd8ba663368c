/** SIGHUP re-reads the registry: a valid one replaces the current one, an invalid one is refused with its errors. */
import type { Logger } from 'pino';
import { loadRegistry } from '../bin/load-registry.js';
import type { Registry } from '../core/registry.js';
import { formatIssues } from '../core/result.js';

/**
 * Installs the SIGHUP handler; returns its removal. New devices and changed rules apply from the next
 * message (ingest keys alert state by device id, so nothing active is lost); devices no longer in the
 * registry keep their stored alerts, and their telemetry is dropped and counted until they return.
 */
export function watchRegistryReload(
  path: string | null,
  log: Logger,
  apply: (registry: Registry) => void,
): () => void {
  const onHup = () => {
    const loaded = loadRegistry(path);
    if (!loaded.ok) {
      log.error(
        { issues: loaded.issues },
        `registry reload refused; the current registry stays:\n${formatIssues(loaded.issues)}`,
      );
      return;
    }
    apply(loaded.value);
    log.info(
      { devices: loaded.value.devices.size, rules: loaded.value.file.rules?.length ?? 0 },
      'registry reloaded',
    );
  };
  process.on('SIGHUP', onHup);
  return () => process.off('SIGHUP', onHup);
}
