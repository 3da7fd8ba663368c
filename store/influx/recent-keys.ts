/**
 * The keys (alert id, type, time) of the events stored lately, bounded by age and by count, so a repeat
 * is refused without reading the log. `coveredSince` says from which store time (µs) on the window is
 * complete: a repeat of an event stored before that must be looked for in the store.
 */
export interface RecentKeys {
  has(key: string): boolean;
  /** Records a stored event; ids come in increasing order from this process. */
  add(key: string, id: number): void;
  /** Forgets keys older than the window at `nowUs`. */
  expire(nowUs: number): void;
  coveredSince(): number;
  size(): number;
}

export function createRecentKeys(opts: { windowUs: number; max: number; coveredSince: number }): RecentKeys {
  // A Map keeps insertion order, which is id order: the oldest are at the front.
  const keys = new Map<string, number>();
  let covered = opts.coveredSince;
  const dropOldest = () => {
    const first = keys.entries().next().value;
    if (!first) return;
    keys.delete(first[0]);
    covered = Math.max(covered, first[1] + 1);
  };
  return {
    has: (key) => keys.has(key),
    add(key, id) {
      keys.delete(key);
      keys.set(key, id);
      while (keys.size > opts.max) dropOldest();
    },
    expire(nowUs) {
      const edge = nowUs - opts.windowUs;
      covered = Math.max(covered, edge);
      for (const [key, id] of keys) {
        if (id >= edge) break;
        keys.delete(key);
      }
    },
    coveredSince: () => covered,
    size: () => keys.size,
  };
}
