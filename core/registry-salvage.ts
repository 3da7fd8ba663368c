/** The valid parts of a registry whose shape is broken, so its cross-references can be checked too. */

import type { z } from 'zod';
import { NotifySection } from './notify/schema.js';
import type { RefLists } from './registry-refs.js';
import {
  ApiKey,
  County,
  Device,
  Prefecture,
  RuleOverride,
  Scheme,
  Site,
  Village,
} from './registry-schema.js';

const ITEMS = {
  prefectures: Prefecture,
  counties: County,
  schemes: Scheme,
  sites: Site,
  devices: Device,
  villages: Village,
  apiKeys: ApiKey,
} as const;

/**
 * Each list item that is valid on its own, `undefined` in place of each broken one, and every item's
 * `id` as written. A list that is not an array counts as empty (the schema already reports it).
 */
export function salvageLists(json: unknown): RefLists | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const o = json as Record<string, unknown>;
  const items = <T>(key: string, schema: z.ZodType<T>): (T | undefined)[] => {
    const list = o[key];
    if (!Array.isArray(list)) return [];
    return list.map((x) => {
      const r = schema.safeParse(x);
      return r.success ? r.data : undefined;
    });
  };
  const rawIds: NonNullable<RefLists['rawIds']> = {};
  for (const key of Object.keys(ITEMS) as (keyof typeof ITEMS)[]) {
    const list = o[key];
    if (!Array.isArray(list)) continue;
    rawIds[key] = list.map((x: unknown) => {
      const id = typeof x === 'object' && x !== null ? (x as { id?: unknown }).id : undefined;
      return typeof id === 'string' ? id : undefined;
    });
  }
  return {
    prefectures: items('prefectures', ITEMS.prefectures),
    counties: items('counties', ITEMS.counties),
    schemes: items('schemes', ITEMS.schemes),
    sites: items('sites', ITEMS.sites),
    devices: items('devices', ITEMS.devices),
    villages: items('villages', ITEMS.villages),
    apiKeys: items('apiKeys', ITEMS.apiKeys),
    rules: items('rules', RuleOverride),
    // A notify section with a broken shape is reported by the schema; a whole one is cross-checked too.
    notify: NotifySection.safeParse(o.notify).data,
    rawIds,
  };
}
