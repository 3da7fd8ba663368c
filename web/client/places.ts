/** Names and kinds of a county's schemes and sites, fetched once per county and kept for the page. */
import { isMessageKey } from '../i18n.js';
import { api } from './api.js';
import { t } from './locale.js';

export interface Places {
  countyId: string;
  schemes: { id: string; name: string; scale: boolean; integrated: boolean }[];
  sites: { id: string; scheme: string; kind: string; name: string | null; upstream?: string | null }[];
}

const loaded = new Map<string, Places>();
const pending = new Map<string, Promise<Places>>();
const schemeNames = new Map<string, string>();
const siteInfo = new Map<string, { kind: string; name: string | null }>();

export function loadPlaces(countyId: string): Promise<Places> {
  const done = loaded.get(countyId);
  if (done) return Promise.resolve(done);
  let p = pending.get(countyId);
  if (!p) {
    p = api<Places>(`/ui/places?county=${encodeURIComponent(countyId)}`).then((places) => {
      loaded.set(countyId, places);
      for (const s of places.schemes) schemeNames.set(s.id, s.name);
      for (const s of places.sites) siteInfo.set(s.id, { kind: s.kind, name: s.name });
      return places;
    });
    void p.catch(() => pending.delete(countyId));
    pending.set(countyId, p);
  }
  return p;
}

export const isLoaded = (countyId: string): boolean => loaded.has(countyId);

export function schemeName(id: string): string {
  return schemeNames.get(id) ?? id;
}

export function siteKindName(kind: string): string {
  const key = `kind.${kind}`;
  return isMessageKey(key) ? t(key) : kind;
}

/** "Plant outlet xiji-s1-plant", or the site's own name when the registry gives one. */
export function siteLabel(id: string): string {
  const info = siteInfo.get(id);
  if (!info) return id;
  return `${siteKindName(info.kind)} ${info.name ?? id}`;
}
