/**
 * Quality samples left out of compliance because they are suspect: the Readings of a device while it
 * has an active `flatline` alert (a stuck sensor or frozen logger, CONTRACT §5). They stay stored and
 * flagged by the alert; coverage subtracts them and says how many it left out. Flatline alerts are few,
 * so the raw values of those stretches are read and judged here rather than flagged on every write.
 */
import type { Alert } from '../core/alert.js';
import type { CoverageWindow, SchemeQuality } from '../core/coverage/inputs.js';
import type { Registry } from '../core/registry.js';
import { judgeQuality, qualityLimits } from '../core/rules/quality.js';
import type { TelemetryStore } from '../store/telemetry-store.js';

/** How far before the window a cleared flatline alert is looked for; still active ones are always found. */
const LOOKBACK_MS = 86_400_000;
/** Bounds the alert pages read per computation (1000 alerts a page). */
const MAX_PAGES = 10;

async function flatlineAlerts(store: TelemetryStore, w: CoverageWindow): Promise<Alert[]> {
  const found = new Map<string, Alert>();
  const keep = (a: Alert) => {
    if (a.ruleId !== 'flatline') return;
    const from = Date.parse(a.raisedAt);
    const to = a.clearedAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(a.clearedAt);
    if (from <= w.to && to > w.from) found.set(a.id, a);
  };
  for (const a of await store.activeAlerts()) keep(a);
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await store.listAlerts({ since: w.from - LOOKBACK_MS, limit: 1000, cursor });
    for (const a of page.items) keep(a);
    cursor = page.nextCursor;
  } while (cursor !== undefined && ++pages < MAX_PAGES);
  return [...found.values()];
}

/** Suspect quality samples per scheme in the window (samples, and how many of them were within limits). */
export async function suspectQuality(
  store: TelemetryStore,
  registry: Registry,
  w: CoverageWindow,
): Promise<SchemeQuality[]> {
  const out = new Map<string, SchemeQuality>();
  for (const a of await flatlineAlerts(store, w)) {
    const device = registry.devices.get(a.deviceId);
    if (!device) continue;
    const limits = qualityLimits(device, registry.file.rules ?? []);
    // From the Reading that raised it to the one before the Reading that cleared it.
    const from = Math.max(w.from, Date.parse(a.raisedAt));
    const to = Math.min(w.to, a.clearedAt === undefined ? w.to : Date.parse(a.clearedAt) - 1);
    if (from > to) continue;
    const q = out.get(device.schemeId) ?? { schemeId: device.schemeId, samples: 0, compliant: 0 };
    for (const l of limits) {
      const points = await store.queryReadings({ deviceId: device.id, metric: l.metric, from, to });
      for (const p of points) {
        const j = judgeQuality([l], { [l.metric]: p.mean });
        q.samples += j.samples;
        q.compliant += j.compliant;
      }
    }
    if (q.samples > 0) out.set(device.schemeId, q);
  }
  return [...out.values()];
}
