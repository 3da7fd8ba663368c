/** A registry k times the size of another, every scheme copied with its own ids and credentials: for scale runs. */
import type { RegistryFile } from '../core/registry-schema.js';
import { demoDeviceToken, sha256Hex } from './demo-secret.js';

/** Copy `k` of every scheme, site, device and village keeps its id, others get `-x<k>`; tokens are demo tokens. */
export function scaleRegistry(file: RegistryFile, factor: number): RegistryFile {
  const copies = Array.from({ length: factor }, (_, k) => k);
  const id = (x: string, k: number) => (k === 0 ? x : `${x}-x${k}`);
  return {
    ...file,
    schemes: copies.flatMap((k) => file.schemes.map((s) => ({ ...s, id: id(s.id, k) }))),
    sites: copies.flatMap((k) =>
      file.sites.map((s) => ({
        ...s,
        id: id(s.id, k),
        scheme: id(s.scheme, k),
        ...(s.upstream ? { upstream: id(s.upstream, k) } : {}),
      })),
    ),
    devices: copies.flatMap((k) =>
      file.devices.map((d) => ({
        ...d,
        id: id(d.id, k),
        site: id(d.site, k),
        tokenSha256: sha256Hex(demoDeviceToken(id(d.id, k))),
      })),
    ),
    villages: copies.flatMap((k) =>
      file.villages.map((v) => ({
        ...v,
        id: id(v.id, k),
        scheme: v.scheme === null ? null : id(v.scheme, k),
      })),
    ),
  };
}
