/** A laboratory sample as submitted and as stored: site, sampling time, lab, values of GB 5749-2022 indicators. */
import { z } from 'zod';
import { Id } from '../ids.js';
import { parseTime } from '../time.js';
import { LAB_INDICATOR_IDS } from './limits.js';

const known = new Set(LAB_INDICATOR_IDS);

/** A value as labs report it: a finite, non-negative number (0 also for "not detected" and "none"). */
const LabValue = z.number().finite().min(0).max(1e9);

export const LabSampleInput = z.strictObject({
  site: Id,
  /** RFC 3339 with offset, or epoch ms. */
  sampledAt: z.union([z.string(), z.number().int()]).transform((v, ctx) => {
    const ms = typeof v === 'number' ? v : parseTime(v);
    if (ms === null || !Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: 'must be an RFC 3339 time with offset or epoch milliseconds' });
      return z.NEVER;
    }
    return ms;
  }),
  lab: z.string().trim().min(1).max(200),
  values: z.record(z.string(), LabValue).superRefine((rec, ctx) => {
    for (const k of Object.keys(rec))
      if (!known.has(k))
        ctx.addIssue({
          code: 'custom',
          path: [k],
          message: `unknown indicator; known: ${LAB_INDICATOR_IDS.join(', ')}`,
        });
    if (Object.keys(rec).length === 0)
      ctx.addIssue({ code: 'custom', message: 'must hold at least one indicator' });
  }),
  note: z.string().max(2000).optional(),
});
export type LabSampleInput = z.infer<typeof LabSampleInput>;

/** What the store keeps: the input, the site's place in the registry, and the verdict. */
export interface StoredSample {
  /** `${siteId}.${sampledAt}`: the same site and sampling time again is one sample (the later wins). */
  id: string;
  siteId: string;
  siteKind: string;
  schemeId: string;
  countyId: string;
  sampledAt: number;
  lab: string;
  values: Record<string, number>;
  compliant: boolean;
  failed: string[];
  receivedAt: number;
  by: string;
  note?: string;
}

export const sampleId = (siteId: string, sampledAt: number): string => `${siteId}.${sampledAt}`;

/** Lab samples per scheme in a window (labCompliance): samples, and those meeting every tested limit. */
export interface LabCount {
  schemeId: string;
  countyId: string;
  samples: number;
  compliant: number;
}
