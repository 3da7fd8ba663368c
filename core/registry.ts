/** Parsing a registry into an indexed, cross-checked value with its derived facts (scale schemes). */

import type { z } from 'zod';
import type { Metric } from './metrics.js';
import { checkReferences } from './registry-refs.js';
import { salvageLists } from './registry-salvage.js';
import {
  type ApiKey,
  type County,
  type Device,
  type RegistryFile,
  RegistryShape,
  type Scheme,
  type Site,
  type SiteKind,
} from './registry-schema.js';
import { err, formatPath, type Issue, ok, type Result } from './result.js';
import { DEFAULT_TIME_ZONE } from './time-zone.js';

/** 千吨万人: CONTRACT §2 thresholds for a "scale" scheme, from the national rural water-supply plan. */
export const SCALE_CAPACITY_M3_PER_DAY = 1000;
export const SCALE_POPULATION = 10_000;

export interface SchemeInfo extends Scheme {
  /** Population of the villages the scheme serves. */
  population: number;
  scale: boolean;
}

/** A device with everything ingest and the API need to know about where it is. */
export interface DeviceInfo {
  id: string;
  siteId: string;
  siteKind: SiteKind;
  schemeId: string;
  countyId: string;
  prefectureId: string;
  /** Its scheme is a scale scheme (turbidity limit 1 NTU rather than 3 NTU). */
  scale: boolean;
  metrics: readonly Metric[];
  metricSet: ReadonlySet<Metric>;
  intervalS: number;
  tokenSha256: string;
}

export interface Registry {
  file: RegistryFile;
  counties: ReadonlyMap<string, County>;
  schemes: ReadonlyMap<string, SchemeInfo>;
  sites: ReadonlyMap<string, Site>;
  devices: ReadonlyMap<string, DeviceInfo>;
  /** API keys by the hex SHA-256 of the key. */
  apiKeysByHash: ReadonlyMap<string, ApiKey>;
}

/** Validates a parsed JSON value as a registry: every problem, each with its JSON path. */
export function parseRegistry(json: unknown): Result<Registry> {
  const shape = RegistryShape.safeParse(json);
  if (!shape.success) {
    // Check the references of whatever is valid too, so one run lists every problem (CONTRACT §2).
    const lists = salvageLists(json);
    return err([...zodIssues(shape.error), ...(lists ? checkReferences(lists) : [])]);
  }
  const refs = checkReferences(shape.data);
  if (refs.length > 0) return err(refs);
  return ok(indexRegistry(shape.data));
}

/** Parses registry text (the file's contents). */
export function parseRegistryText(text: string): Result<Registry> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return err([{ path: '', message: `not valid JSON: ${(e as Error).message}` }]);
  }
  return parseRegistry(json);
}

export function zodIssues(error: z.ZodError): Issue[] {
  return error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
}

/** A scheme is scale when integrated, or ≥ 1000 m³/d, or serving ≥ 10,000 people (CONTRACT §2). */
export function isScale(scheme: Scheme, population: number): boolean {
  return (
    scheme.integrated ||
    scheme.capacityM3PerDay >= SCALE_CAPACITY_M3_PER_DAY ||
    population >= SCALE_POPULATION
  );
}

function indexRegistry(file: RegistryFile): Registry {
  const byId = <T extends { id: string }>(list: readonly T[]) => new Map(list.map((x) => [x.id, x]));
  const counties = byId(file.counties);
  const sites = byId(file.sites);
  const served = new Map<string, number>();
  for (const v of file.villages) {
    if (v.scheme !== null) served.set(v.scheme, (served.get(v.scheme) ?? 0) + v.population);
  }
  const schemes = new Map<string, SchemeInfo>();
  for (const s of file.schemes) {
    const population = served.get(s.id) ?? 0;
    schemes.set(s.id, { ...s, population, scale: isScale(s, population) });
  }
  const devices = new Map<string, DeviceInfo>();
  // Devices with the same metrics share one Set: a Set costs about 350 bytes, and 10,000 devices have a
  // handful of distinct lists (a node holding 10,000 idle devices must fit in 150 MB).
  const metricSets = new Map<string, ReadonlySet<Metric>>();
  const metricSet = (metrics: readonly Metric[]) => {
    const key = metrics.join(',');
    const known = metricSets.get(key);
    if (known) return known;
    const set: ReadonlySet<Metric> = new Set(metrics);
    metricSets.set(key, set);
    return set;
  };
  for (const d of file.devices) devices.set(d.id, deviceInfo(d, sites, schemes, counties, metricSet));
  return {
    file,
    counties,
    schemes,
    sites,
    devices,
    apiKeysByHash: new Map(file.apiKeys.map((k) => [k.keySha256, k])),
  };
}

function deviceInfo(
  d: Device,
  sites: Map<string, Site>,
  schemes: Map<string, SchemeInfo>,
  counties: Map<string, County>,
  metricSet: (metrics: readonly Metric[]) => ReadonlySet<Metric>,
): DeviceInfo {
  // References were checked before indexing, so these lookups cannot miss.
  const site = sites.get(d.site)!;
  const scheme = schemes.get(site.scheme)!;
  const county = counties.get(scheme.county)!;
  const metrics = d.metrics as Metric[];
  return {
    id: d.id,
    siteId: site.id,
    siteKind: site.kind,
    schemeId: scheme.id,
    countyId: county.id,
    prefectureId: county.prefecture,
    scale: scheme.scale,
    metrics,
    metricSet: metricSet(metrics),
    intervalS: d.intervalS,
    tokenSha256: d.tokenSha256,
  };
}

/** The region's IANA time zone for calendar periods and day buckets (CONTRACT §6; default Asia/Shanghai). */
export const timeZoneOf = (r: Registry): string => r.file.region.timeZone ?? DEFAULT_TIME_ZONE;
