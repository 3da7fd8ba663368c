/** Schemas of the lab-sample routes: the body, the import report, the list and its filters. */
import { z } from 'zod';
import { LAB_INDICATOR_IDS } from '../../core/lab/limits.js';
import { idParam, intParam, timeParam } from '../params.js';
import { components, Time } from './common.js';

export const MAX_SAMPLES_PER_REQUEST = 1000;
export const DEFAULT_SAMPLE_LIMIT = 100;

/** The documented shape of LabSampleInput (core/lab/sample.ts validates; its time transform has no JSON Schema). */
const SampleInputDoc = z
  .strictObject({
    site: z.string().meta({ description: 'a site id of the registry (not a source)' }),
    sampledAt: z.union([z.string(), z.number().int()]),
    lab: z.string().min(1).max(200),
    values: z.record(z.string(), z.number().min(0)),
    note: z.string().max(2000).optional(),
  })
  .meta({
    description:
      `One laboratory sample. \`values\` maps GB 5749-2022 indicator ids (${LAB_INDICATOR_IDS.join(', ')}) ` +
      'to the reported value in the unit of the standard; 0 means not detected / none. `sampledAt` is RFC 3339 ' +
      'with offset or epoch ms.',
  });
components.add(SampleInputDoc, { id: 'LabSampleInput' });

export const SamplesBody = z
  .union([
    SampleInputDoc,
    z.strictObject({ samples: z.array(SampleInputDoc).min(1).max(MAX_SAMPLES_PER_REQUEST) }),
  ])
  .meta({
    description:
      'One sample, or `{ "samples": [...] }` (up to 1000). The route also takes a lab file as the body: ' +
      'text/csv or an XLSX workbook (first sheet), header row first with columns site (站点), sampledAt ' +
      '(采样时间; without offset it is wall-clock time in the region time zone), lab (检测机构), note ' +
      '(备注) and one column per indicator (its id, Chinese or English name).',
  });

const Verdict = z.object({
  indicator: z.string(),
  value: z.number(),
  pass: z.boolean(),
  limit: z.string().meta({ description: 'the limit applied, as people read it' }),
  cite: z.string().meta({ description: 'GB 5749-2022 table and row of the limit' }),
});

export const SampleOut = z
  .object({
    id: z.string(),
    siteId: z.string(),
    schemeId: z.string(),
    countyId: z.string(),
    sampledAt: Time,
    lab: z.string(),
    values: z.record(z.string(), z.number()),
    compliant: z
      .boolean()
      .meta({ description: 'every tested indicator meets its limit (the sample judged whole)' }),
    failed: z.array(z.string()),
    receivedAt: Time,
    by: z.string(),
    note: z.string().optional(),
  })
  .meta({ description: 'A stored lab sample and its verdict' });
components.add(SampleOut, { id: 'LabSample' });

export const RowError = z.object({
  row: z
    .number()
    .int()
    .meta({ description: 'file row (the header is row 1), or the index in `samples` of a JSON body' }),
  column: z.string().meta({ description: 'the column header, or the field path of a JSON body' }),
  detail: z.string(),
});

export const SampleReport = z
  .object({
    stored: z.number().int(),
    samples: z.array(SampleOut.extend({ row: z.number().int(), verdicts: z.array(Verdict) })),
    errors: z.array(RowError),
    alerts: z.array(z.object({ type: z.string(), id: z.string(), ruleId: z.string() })),
  })
  .meta({
    description:
      'What was stored, each sample with its verdicts, the bad rows, and the lab alerts raised or cleared',
  });
components.add(SampleReport, { id: 'SampleReport' });

export const SampleListQuery = z.strictObject({
  from: timeParam('samples taken at or after this time (default: 31 days before `to`)').optional(),
  to: timeParam('samples taken at or before this time (default: now)').optional(),
  county: idParam('only samples of this county').optional(),
  site: idParam('only samples of this site').optional(),
  limit: intParam('samples at most, newest first', 1, 1000).optional(),
});

export const SampleList = z
  .object({ items: z.array(SampleOut) })
  .meta({ description: 'lab samples, newest first' });
