/** The device simulator: every selected registry device connects with its own credentials and reports on its interval. */
import { Workspace } from 'epanet-js';
import type { Logger } from 'pino';
import type { DeviceInfo, Registry } from '../core/registry.js';
import { isoTime } from '../core/time.js';
import { createDeviceLink, type DeviceLink } from './device-link.js';
import { createEpanet, type Epanet } from './epanet-run.js';
import type { Fault } from './faults.js';
import { createReadingSource } from './reading-source.js';
import type { SchemeModel } from './scheme-model.js';
import { createSimClock } from './sim-clock.js';
import { faultTruth } from './truth.js';
import { createTruthWriter } from './truth-file.js';
import type { FaultRecord } from './truth-record.js';

export interface SimDeps {
  mqttUrl: string;
  registry: Registry;
  /** The MQTT password of a device. */
  tokenFor: (deviceId: string) => string;
  log: Logger;
  /** The wall clock. */
  clock?: () => number;
  seed?: number;
  /** Only these devices (default: all of the registry's). */
  deviceIds?: readonly string[];
  /** Each device's first reading comes within this many wall-clock ms of start (default 3000). */
  firstWithinMs?: number;
  /** Replay from this past time (epoch ms) at `speed` × real time; default: live. */
  start?: number;
  speed?: number;
  /** Stop after this much simulated time; default: run until stopped. */
  durationMs?: number | null;
  faults?: readonly Fault[];
  /** Where to write the ground truth (JSONL); default: nowhere. */
  truthPath?: string | null;
  /** What ingest's `stale` counts on (INGEST_STALE_CLOCK); the ground truth's stale expectations follow it. */
  staleClock?: 'wall' | 'readings';
  epanet?: Epanet;
  /** Healthy scheme models already solved in this process (a bench reuses them). */
  healthy?: Map<string, SchemeModel>;
}

export interface Sim {
  /** Readings the broker has acknowledged. */
  published(): number;
  /** Readings produced (sent, buffered or lost). */
  generated(): number;
  truth: readonly FaultRecord[];
  /** Resolves when the duration has been simulated (never, without one). */
  finished: Promise<void>;
  stop(): Promise<void>;
}

/** Most readings handled in one turn of the event loop, so MQTT traffic keeps flowing between turns. */
const TURN_LIMIT = 2000;
const IDLE_MS = 250;

export async function createSim(deps: SimDeps): Promise<Sim> {
  const { log, registry } = deps;
  const wall = deps.clock ?? Date.now;
  const seed = deps.seed ?? 1;
  const clock = createSimClock({ start: deps.start, speed: deps.speed, wall });
  const devices = (deps.deviceIds ?? [...registry.devices.keys()])
    .map((id) => registry.devices.get(id))
    .filter((d): d is DeviceInfo => d !== undefined);
  const faults = deps.faults ?? [];
  const epanet = deps.epanet ?? (await createEpanet(new Workspace()));
  const source = createReadingSource({
    registry,
    devices,
    faults,
    epanet,
    seed,
    start: clock.simStart,
    firstWithinMs: (deps.firstWithinMs ?? 3000) * clock.speed,
    healthy: deps.healthy,
  });
  // Ground truth first: the faulted schemes are solved now, and the file is complete before any alert.
  const writer = createTruthWriter(deps.truthPath ?? null);
  writer.write({
    record: 'run',
    seed,
    simStart: isoTime(clock.simStart),
    speed: clock.speed,
    wallStart: isoTime(clock.wallStart),
    durationMs: deps.durationMs ?? null,
    devices: devices.map((d) => d.id),
    intervals: Object.fromEntries(devices.map((d) => [d.id, d.intervalS])),
    staleClock: deps.staleClock ?? 'wall',
  });
  const truth = faults.map((f) =>
    faultTruth(
      {
        registry,
        devices,
        world: source.world,
        wallAt: clock.wallAt,
        staleClock: deps.staleClock ?? 'wall',
      },
      f,
    ),
  );
  for (const t of truth) writer.write(t);
  for (const t of truth) {
    log.info(
      {
        fault: t.id,
        kind: t.kind,
        siteId: t.siteId,
        start: t.start,
        end: t.end,
        expected: t.expected.length,
      },
      'fault scheduled',
    );
  }

  let published = 0;
  let generated = 0;
  const links = new Map<string, DeviceLink>();
  const link = (id: string) => {
    let l = links.get(id);
    if (!l) {
      l = createDeviceLink({
        mqttUrl: deps.mqttUrl,
        deviceId: id,
        token: deps.tokenFor(id),
        log,
        onPublished: (n) => {
          published += n;
        },
      });
      links.set(id, l);
    }
    return l;
  };

  const endAt = deps.durationMs ? clock.simStart + deps.durationMs : Number.POSITIVE_INFINITY;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let finish = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });

  const turn = () => {
    timer = null;
    if (stopped) return;
    const now = Math.min(clock.now(), endAt);
    const n = source.drain(now, TURN_LIMIT, (sim, e) => {
      generated++;
      const l = link(sim.device.id);
      if (e.mode === 'send') {
        l.send(e.reading);
        if (e.malformed) l.sendRaw(e.malformed);
      } else {
        l.goOffline();
        if (e.mode === 'buffer') l.keep(e.reading);
      }
    });
    const due = source.nextDue();
    if (now >= endAt && (due === undefined || due > endAt)) {
      log.info({ generated, simEnd: isoTime(endAt) }, 'simulated duration reached');
      finish();
      return;
    }
    // Straight on while readings are due; otherwise sleep until the next one (at the replay's speed).
    const wait = n >= TURN_LIMIT || due === undefined ? 0 : Math.max(0, (due - clock.now()) / clock.speed);
    if (n >= TURN_LIMIT) setImmediate(turn);
    else timer = setTimeout(turn, Math.min(IDLE_MS, wait));
  };
  // Solve every scheme before the first reading, in the background and yielding between schemes, so
  // the caller (and the rest of `npm start`) goes on and MQTT keeps flowing meanwhile.
  const schemes = [...new Set(devices.map((d) => d.schemeId))];
  (async () => {
    const solving = performance.now();
    for (const id of schemes) {
      if (stopped) return;
      source.world.prepare(id);
      await new Promise((r) => setImmediate(r));
    }
    log.info({ schemes: schemes.length, ms: Math.round(performance.now() - solving) }, 'schemes solved');
    turn();
  })().catch((e: unknown) => log.error({ err: e }, 'the hydraulic model failed; no readings will be sent'));
  log.info(
    { devices: devices.length, faults: faults.length, simStart: isoTime(clock.simStart), speed: clock.speed },
    'simulator started',
  );

  return {
    published: () => published,
    generated: () => generated,
    truth,
    finished,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearTimeout(timer);
      writer.write({
        record: 'end',
        simEnd: isoTime(Math.min(clock.now(), endAt)),
        wallEnd: isoTime(wall()),
        published,
      });
      await Promise.all([...links.values()].map((l) => l.close()));
      finish();
    },
  };
}
