/** A binary min-heap of devices by the time of their next reading: one timer drives them all. */
import type { DeviceSim } from './device-sim.js';

export interface DeviceHeap {
  size(): number;
  peek(): DeviceSim | undefined;
  pop(): DeviceSim | undefined;
  push(d: DeviceSim): void;
}

export function createDeviceHeap(): DeviceHeap {
  const a: DeviceSim[] = [];
  const less = (i: number, j: number) => a[i]!.nextTs < a[j]!.nextTs;
  const swap = (i: number, j: number) => {
    [a[i], a[j]] = [a[j]!, a[i]!];
  };
  return {
    size: () => a.length,
    peek: () => a[0],
    push(d) {
      a.push(d);
      for (let i = a.length - 1; i > 0; ) {
        const p = (i - 1) >> 1;
        if (!less(i, p)) break;
        swap(i, p);
        i = p;
      }
    },
    pop() {
      const top = a[0];
      const lastItem = a.pop();
      if (a.length > 0 && lastItem) {
        a[0] = lastItem;
        for (let i = 0; ; ) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < a.length && less(l, m)) m = l;
          if (r < a.length && less(r, m)) m = r;
          if (m === i) break;
          swap(i, m);
          i = m;
        }
      }
      return top;
    },
  };
}
