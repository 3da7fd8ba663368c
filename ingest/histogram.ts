/** A Prometheus histogram of durations in seconds: fixed buckets, constant memory. */

/** From 1 ms to 10 s: an alert is expected within milliseconds, a store write may take seconds when unwell. */
export const SECONDS_BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10] as const;

export interface Histogram {
  observe(seconds: number): void;
  /** The exposition lines (`_bucket`, `_sum`, `_count`) under `name`. */
  render(name: string, help: string): string[];
}

export function createHistogram(buckets: readonly number[] = SECONDS_BUCKETS): Histogram {
  const counts = new Array<number>(buckets.length).fill(0);
  let sum = 0;
  let count = 0;
  return {
    observe(seconds) {
      sum += seconds;
      count++;
      for (let i = 0; i < buckets.length; i++) {
        if (seconds <= buckets[i]!) {
          counts[i]!++;
          break;
        }
      }
    },
    render(name, help) {
      const out = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
      let cumulative = 0;
      buckets.forEach((le, i) => {
        cumulative += counts[i]!;
        out.push(`${name}_bucket{le="${le}"} ${cumulative}`);
      });
      out.push(`${name}_bucket{le="+Inf"} ${count}`, `${name}_sum ${sum}`, `${name}_count ${count}`);
      return out;
    },
  };
}
