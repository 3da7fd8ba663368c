/** Every simulated device's readings in time order, from the world model: no network, no timers. */
import type { DeviceInfo, Registry } from '../core/registry.js';
import { createDeviceHeap } from './device-heap.js';
import { createDeviceSim, type DeviceSim, type Emission } from './device-sim.js';
import type { Epanet } from './epanet-run.js';
import type { Fault } from './faults.js';
import { createRandom, hashSeed } from './random.js';
import type { SchemeModel } from './scheme-model.js';
import { createWorld, type World } from './world.js';

export interface ReadingSource {
  world: World;
  devices: readonly DeviceSim[];
  /** Produces every reading due at or before `simTs` (at most `limit`), earliest first; returns the count. */
  drain(simTs: number, limit: number, emit: (device: DeviceSim, e: Emission) => void): number;
  /** Simulated time of the next reading due. */
  nextDue(): number | undefined;
}

export interface SourceOptions {
  registry: Registry;
  devices: readonly DeviceInfo[];
  faults: readonly Fault[];
  epanet: Epanet;
  seed: number;
  /** Simulated time of the start. */
  start: number;
  /** Each device's first reading comes within this much simulated time of the start. */
  firstWithinMs: number;
  healthy?: Map<string, SchemeModel>;
}

export function createReadingSource(o: SourceOptions): ReadingSource {
  const world = createWorld({ registry: o.registry, epanet: o.epanet, faults: o.faults, healthy: o.healthy });
  const rnd = createRandom(hashSeed('first', o.seed));
  const heap = createDeviceHeap();
  const devices = o.devices.map((device) => {
    const sim = createDeviceSim({
      device,
      world,
      faults: o.faults.filter((f) => f.deviceIds.includes(device.id)),
      seed: o.seed,
      firstTs: o.start + Math.round(rnd() * Math.min(device.intervalS * 1000, o.firstWithinMs)),
    });
    heap.push(sim);
    return sim;
  });
  return {
    world,
    devices,
    drain(simTs, limit, emit) {
      let n = 0;
      for (let top = heap.peek(); top && top.nextTs <= simTs && n < limit; top = heap.peek()) {
        heap.pop();
        emit(top, top.next());
        heap.push(top);
        n++;
      }
      return n;
    },
    nextDue: () => heap.peek()?.nextTs,
  };
}
