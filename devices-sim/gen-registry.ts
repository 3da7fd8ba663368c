/** Generates the seeded, deterministic demo registry of Ningxia: writes devices-sim/demo-registry.json. */

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Metric } from '../core/metrics.js';
import { parseRegistry, type Registry } from '../core/registry.js';
import type {
  ApiKey,
  Device,
  RegistryFile,
  Scheme,
  Site,
  SiteKind,
  Village,
} from '../core/registry-schema.js';
import { formatIssues } from '../core/result.js';
import { demoNotify } from './demo-notify.js';
import { demoApiKey, demoDeviceToken, sha256Hex } from './demo-secret.js';
import { COUNTIES, type CountyRow, NINGXIA_2027_TARGETS, PREFECTURES, RURAL_POPULATION } from './ningxia.js';

/** The committed JSON was made with this seed; a different seed gives a different (valid) region. */
const SEED = 20_270_101;
const OUT = fileURLToPath(new URL('./demo-registry.json', import.meta.url));

// Shares chosen so the derived indicators land just short of the 2027 targets, as in the real region:
// ~2.5 % unserved, ~6.5 % on small schemes, the rest on scale schemes, ~77 % of those integrated.
const UNSERVED_SHARE = 0.025;
const INTEGRATED_SHARE_OF_SCALE = 0.77;
/** Typical people per non-integrated scale (千吨) works; sets how many of them a county gets. */
const TOWN_WORKS_POPULATION = 4000;
const SMALL_TAP_SHARE = 0.9;
/** Share of counties that have one village served across the county line by a neighbour's works. */
const CROSS_COUNTY_SHARE = 0.3;

const SOURCE_METRICS: Metric[] = ['turbidity', 'conductivity', 'temperature', 'level'];
const PLANT_METRICS: Metric[] = ['turbidity', 'chlorine', 'ph', 'flow', 'conductivity', 'temperature'];
const RESERVOIR_METRICS: Metric[] = ['level', 'chlorine'];
const PIPE_METRICS: Metric[] = ['pressure', 'flow', 'chlorine'];
const TAP_METRICS: Metric[] = ['chlorine', 'turbidity', 'ph', 'pressure'];
const SMALL_PLANT_METRICS: Metric[] = ['chlorine', 'turbidity'];

type Rng = () => number;

/** Site names in Chinese and English by kind: 水源 (source), 净水厂 (plant), 清水池 (reservoir), 管网 (network node), 末梢 (tap). */
const SITE_NAMES: Record<SiteKind, [string, string]> = {
  source: ['水源地', 'source'],
  plant: ['净水厂', 'plant'],
  reservoir: ['清水池', 'reservoir'],
  pipe: ['管网监测点', 'network node'],
  tap: ['末梢用户', 'tap'],
};
type SchemeKind = 'integrated' | 'town' | 'small';

/** mulberry32: a tiny 32-bit PRNG; written here so the output never depends on a library version. */
function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const between = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
const pad = (n: number, width: number) => String(n).padStart(width, '0');
const roundTo = (x: number, step: number) => Math.round(x / step) * step;

/** Fisher–Yates, in place. */
function shuffle<T>(rng: Rng, list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}

/** k elements of list, chosen at random but kept in list order (so device ids follow the topology). */
function sample<T>(rng: Rng, list: readonly T[], k: number): T[] {
  const chosen = new Set(shuffle(rng, [...list.keys()]).slice(0, k));
  return list.filter((_, i) => chosen.has(i));
}

interface Draft {
  schemes: Scheme[];
  kinds: Map<string, SchemeKind>;
  sites: Site[];
  devices: Device[];
  villages: Village[];
}

/** A village size: many small hamlets, a few large ones (skewed towards the lower bound). */
const villageSize = (rng: Rng, lo: number, spread: number) => lo + Math.round(spread * rng() ** 1.5);

/** One county's villages and schemes; village ids are assigned later, once all counties exist. */
function generateCounty(rng: Rng, c: CountyRow, rural: number, out: Draft): void {
  const villages: Village[] = [];
  const village = (population: number, scheme: string | null, tap: boolean) => {
    const v: Village = { id: '', county: c.id, population, scheme, tap };
    villages.push(v);
    return v;
  };
  const schemes: Scheme[] = [];
  const scheme = (id: string, name: string, nameEn: string, kind: SchemeKind) => {
    schemes.push({ id, name, nameEn, county: c.id, capacityM3PerDay: 0, integrated: kind === 'integrated' });
    out.kinds.set(id, kind);
    return id;
  };
  const name = c.nameEn;
  let left = rural;

  // Small schemes: one remote village each; about one in ten still carries water rather than piping it in.
  const small: string[] = [];
  for (let i = 1; i <= c.small; i++) {
    const population = villageSize(rng, 200, 500);
    small.push(
      scheme(`${c.id}-w${pad(i, 3)}`, `${c.name}村级供水站${i}号`, `${name} village supply ${i}`, 'small'),
    );
    village(population, small[small.length - 1]!, rng() < SMALL_TAP_SHARE);
    left -= population;
  }
  // Unserved villages: no scheme, no tap; sizes kept >= 100 by folding a remainder into the last one.
  let unserved = Math.round(rural * UNSERVED_SHARE);
  while (unserved > 0) {
    const draw = between(rng, 100, 500);
    const p = unserved - draw < 100 ? unserved : draw;
    village(p, null, false);
    unserved -= p;
    left -= p;
  }
  const served: Village[] = [];
  while (left > 0) {
    const p = villageSize(rng, 400, 2000);
    served.push(village(left - p < 400 ? left : p, null, true));
    left -= served[served.length - 1]!.population;
  }

  // Scale schemes get population quotas; each takes one village, then villages go to the largest deficit.
  const scalePop = served.reduce((sum, v) => sum + v.population, 0);
  const intPop = scalePop * (INTEGRATED_SHARE_OF_SCALE + (rng() - 0.5) * 0.16);
  const towns = Math.max(1, Math.round((scalePop - intPop) / TOWN_WORKS_POPULATION));
  const quotas: { id: string; quota: number; got: number }[] = [];
  for (let i = 1; i <= c.integrated + towns; i++) {
    const integrated = i <= c.integrated;
    const id = scheme(
      `${c.id}-s${pad(i, 2)}`,
      integrated ? `${c.name}城乡供水一体化工程${i}号` : `${c.name}集镇供水厂${i - c.integrated}号`,
      integrated ? `${name} integrated works ${i}` : `${name} town works ${i - c.integrated}`,
      integrated ? 'integrated' : 'town',
    );
    const share = integrated ? intPop / c.integrated : (scalePop - intPop) / towns;
    quotas.push({ id, quota: share * (0.7 + 0.6 * rng()), got: 0 });
  }
  const bySize = [...served].sort((a, b) => b.population - a.population);
  bySize.forEach((v, i) => {
    const q = quotas[i] ?? quotas.reduce((best, x) => (x.quota - x.got > best.quota - best.got ? x : best));
    v.scheme = q.id;
    q.got += v.population;
  });

  // Scale schemes first, so "-s01" is always the county's main integrated works.
  out.schemes.push(
    ...schemes.filter((s) => !small.includes(s.id)),
    ...schemes.filter((s) => small.includes(s.id)),
  );
  // Shuffled so a village's position says nothing about how it is served.
  out.villages.push(...shuffle(rng, villages));
}

/** Sites (the supply topology) and the devices on them, for one scheme. */
function generateNetwork(rng: Rng, s: Scheme, kind: SchemeKind, out: Draft): void {
  const site = (suffix: string, siteKind: SiteKind, upstream?: string) => {
    const id = `${s.id}-${suffix}`;
    const n = suffix.replace(/\D/g, '');
    const [zh, en] = SITE_NAMES[siteKind];
    out.sites.push({
      id,
      scheme: s.id,
      kind: siteKind,
      ...(upstream ? { upstream } : {}),
      name: `${s.name}${zh}${n}`,
      nameEn: `${s.nameEn ?? s.name} ${en}${n ? ` ${n}` : ''}`,
    });
    return id;
  };
  const device = (siteId: string, metrics: Metric[], intervalS: number) => {
    const id = `d-${pad(out.devices.length + 1, 4)}`;
    out.devices.push({ id, site: siteId, metrics, intervalS, tokenSha256: sha256Hex(demoDeviceToken(id)) });
  };
  const src = site('src', 'source');
  const plant = site('plant', 'plant', src);
  if (kind === 'small') {
    site('t1', 'tap', plant);
    if (rng() < 0.25) device(plant, SMALL_PLANT_METRICS, 300);
    return;
  }
  const reservoirs = Array.from({ length: between(rng, 1, 2) }, (_, i) =>
    site(`res${i + 1}`, 'reservoir', plant),
  );
  const pipes: string[] = [];
  const pipeCount = between(rng, 2, 4);
  for (let i = 1; i <= pipeCount; i++) {
    // A node hangs off a reservoir (a new trunk main) or continues the previous main.
    const prev = pipes[pipes.length - 1];
    pipes.push(site(`p${i}`, 'pipe', prev === undefined || rng() < 0.4 ? pick(rng, reservoirs) : prev));
  }
  const taps = Array.from({ length: between(rng, 2, 4) }, (_, i) =>
    site(`t${i + 1}`, 'tap', pick(rng, pipes)),
  );

  // Integrated works are the big ones, so they always get two network and two tap monitors.
  const monitored = () => (kind === 'integrated' ? 2 : between(rng, 1, 2));
  if (rng() < 1 / 3) device(src, SOURCE_METRICS, 300);
  device(plant, PLANT_METRICS, 60);
  device(reservoirs[0]!, RESERVOIR_METRICS, 120);
  for (const p of sample(rng, pipes, monitored())) device(p, PIPE_METRICS, rng() < 0.5 ? 30 : 60);
  for (const t of sample(rng, taps, monitored())) device(t, TAP_METRICS, 300);
}

/** A few villages near a county line are served by the neighbouring county's main integrated works. */
function crossCountyLines(rng: Rng, out: Draft): void {
  const villagesOf = new Map<string, number>();
  for (const v of out.villages) if (v.scheme) villagesOf.set(v.scheme, (villagesOf.get(v.scheme) ?? 0) + 1);
  for (const c of COUNTIES) {
    if (rng() >= CROSS_COUNTY_SHARE) continue;
    const neighbours = COUNTIES.filter((n) => n.prefecture === c.prefecture && n.id !== c.id);
    // Only a town works that keeps other villages gives one up, so no scheme is left serving nobody.
    const v = out.villages.find(
      (x) =>
        x.county === c.id && x.scheme && out.kinds.get(x.scheme) === 'town' && villagesOf.get(x.scheme)! > 1,
    );
    if (neighbours.length === 0 || !v || !v.scheme) continue;
    villagesOf.set(v.scheme, villagesOf.get(v.scheme)! - 1);
    v.scheme = `${pick(rng, neighbours).id}-s01`;
  }
}

/** Design capacity from the people served (~100–150 L per head per day with peaking). */
function capacity(kind: SchemeKind, population: number): number {
  if (kind === 'small') return Math.max(10, Math.round(population * 0.08));
  // Town works also supply their township seat, which is not a village; hence the larger factor.
  if (kind === 'town') return Math.max(1000, roundTo(population * 0.15, 100));
  return Math.max(1000, roundTo(population * 0.12, 500));
}

/**
 * Gives each county its own rural population (`people`): every village's size varies a little (±8 %), then
 * the county is scaled to its figure with largest-remainder rounding, so totals are exact and no two
 * counties share a figure. Its own random stream, after the layout: schemes, sites and devices stay as
 * laid out (their ids are what tests and the simulator rely on).
 */
function applyPeople(seed: number, villages: Village[]): void {
  const rng = mulberry32(seed ^ 0x5eed);
  for (const c of COUNTIES) {
    const mine = villages.filter((v) => v.county === c.id);
    const raw = mine.map((v) => v.population * (0.92 + 0.16 * rng()));
    const scale = c.people / raw.reduce((a, b) => a + b, 0);
    const exact = raw.map((x) => x * scale);
    const floors = exact.map(Math.floor);
    let left = c.people - floors.reduce((a, b) => a + b, 0);
    const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
    for (const [, i] of order) {
      if (left <= 0) break;
      floors[i]!++;
      left--;
    }
    mine.forEach((v, i) => {
      v.population = floors[i]!;
    });
  }
}

function buildRegistry(seed: number): RegistryFile {
  const rng = mulberry32(seed);
  const out: Draft = { schemes: [], kinds: new Map(), sites: [], devices: [], villages: [] };
  const weight = COUNTIES.reduce((sum, c) => sum + c.rural, 0);
  for (const c of COUNTIES) generateCounty(rng, c, Math.round((RURAL_POPULATION * c.rural) / weight), out);
  crossCountyLines(rng, out);
  out.villages.forEach((v, i) => {
    v.id = `v-${pad(i + 1, 4)}`;
  });
  const served = new Map<string, number>();
  for (const v of out.villages)
    if (v.scheme) served.set(v.scheme, (served.get(v.scheme) ?? 0) + v.population);
  for (const s of out.schemes) {
    const kind = out.kinds.get(s.id)!;
    s.capacityM3PerDay = capacity(kind, served.get(s.id) ?? 0);
    generateNetwork(rng, s, kind, out);
  }
  applyPeople(seed, out.villages);
  // Capacities follow the people actually served (which never moves a scheme across the scale line:
  // town works are at least 1000 m³/d, a small scheme's one village is far below 10,000 people).
  served.clear();
  for (const v of out.villages)
    if (v.scheme) served.set(v.scheme, (served.get(v.scheme) ?? 0) + v.population);
  for (const s of out.schemes) s.capacityM3PerDay = capacity(out.kinds.get(s.id)!, served.get(s.id) ?? 0);
  const key = (id: string, role: ApiKey['role'], counties?: string[]): ApiKey => ({
    id,
    role,
    keySha256: sha256Hex(demoApiKey(id)),
    ...(counties ? { counties } : {}),
  });
  return {
    version: 1,
    region: { id: 'nx', name: '宁夏回族自治区', nameEn: 'Ningxia', timeZone: 'Asia/Shanghai' },
    targets: { ...NINGXIA_2027_TARGETS },
    prefectures: PREFECTURES.map((p) => ({ id: p.id, name: p.name, nameEn: p.nameEn })),
    counties: COUNTIES.map((c) => ({ id: c.id, name: c.name, nameEn: c.nameEn, prefecture: c.prefecture })),
    schemes: out.schemes,
    sites: out.sites,
    devices: out.devices,
    villages: out.villages,
    apiKeys: [
      key('demo-admin', 'admin'),
      key('demo-planner', 'viewer'),
      ...COUNTIES.map((c) => key(`ops-${c.id}`, 'operator', [c.id])),
    ],
    rules: [],
    notify: demoNotify(),
  };
}

/** The figures a planner would check first, computed the way the API derives them (from villages). */
function summary(r: Registry, bytes: number): string {
  const schemes = [...r.schemes.values()];
  const villages = r.file.villages;
  const people = (pred: (v: Village) => boolean) =>
    villages.filter(pred).reduce((n, v) => n + v.population, 0);
  const rural = people(() => true);
  const rate = (pred: (v: Village) => boolean) => (people(pred) / rural).toFixed(3);
  const scheme = (v: Village) => (v.scheme ? r.schemes.get(v.scheme) : undefined);
  const scale = schemes.filter((s) => s.scale).length;
  return [
    `wrote ${OUT} (${(bytes / 1024).toFixed(0)} KiB, seed ${SEED})`,
    `prefectures ${r.file.prefectures.length}, counties ${r.counties.size}`,
    `schemes ${schemes.length}: scale ${scale} (integrated ${schemes.filter((s) => s.integrated).length}), small ${schemes.length - scale}`,
    `sites ${r.sites.size}, devices ${r.devices.size}, villages ${villages.length}`,
    `rural population ${rural.toLocaleString('en-US')}`,
    `tap-water rate ${rate((v) => v.tap)}, scale coverage ${rate((v) => scheme(v)?.scale === true)}, ` +
      `integration rate ${rate((v) => scheme(v)?.integrated === true)}`,
  ].join('\n');
}

const text = `${JSON.stringify(buildRegistry(SEED), null, 2)}\n`;
writeFileSync(OUT, text);
// Check what was actually written, exactly as the platform will read it.
const parsed = parseRegistry(JSON.parse(readFileSync(OUT, 'utf8')));
if (!parsed.ok) {
  console.error(`${OUT} is not a valid registry:\n${formatIssues(parsed.issues)}`);
  process.exit(1);
}
console.log(summary(parsed.value, Buffer.byteLength(text)));
