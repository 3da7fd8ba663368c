/** Schemas of the coverage route: query, indicators and rows (CONTRACT §6). */
import { z } from 'zod';
import { INDICATOR_NAMES } from '../../core/coverage/indicator.js';
import { GROUP_BYS } from '../../core/coverage/inputs.js';
import { durationParam, enumParam, timeParam } from '../params.js';
import { components, Time } from './common.js';

export const CoverageQuery = z.strictObject({
  groupBy: enumParam(
    GROUP_BYS,
    'one row for the region, per prefecture, per county (default) or per scheme',
  ).optional(),
  window: durationParam('length of the window ending at `to` (default 24h)').optional(),
  period: z
    .string()
    .regex(/^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/, {
      error: 'must be a month (2026-11), a quarter (2026-Q4) or a year (2026)',
    })
    .meta({
      description:
        'a calendar month, quarter or year in the region time zone (region.timeZone, default Asia/Shanghai), ' +
        'instead of window and to; a period not yet over ends now',
      examples: ['2026-11', '2026-Q4', '2026'],
    })
    .optional(),
  to: timeParam('end of the window (default now)').optional(),
  format: enumParam(['json', 'csv'], 'json (default) or csv for spreadsheets').optional(),
});

export const Indicator = z
  .object({
    value: z
      .number()
      .nullable()
      .meta({ description: 'numerator / denominator; null when the denominator is 0' }),
    numerator: z.number(),
    denominator: z.number(),
    target: z.number().meta({ description: 'the registry target (2027)' }),
    gap: z
      .number()
      .nullable()
      .meta({ description: 'target − value; positive means still short of the target' }),
    excluded: z.number().int().optional().meta({
      description: 'qualityCompliance: suspect samples left out (a device with an active flatline alert)',
    }),
    reason: z
      .enum(['no-quality-data', 'no-lab-samples', 'no-population', 'no-devices', 'not-applicable'])
      .optional()
      .meta({
        description:
          'why value is null: e.g. no-quality-data, so a page shows "no quality data" rather than 0 %',
      }),
  })
  .meta({ description: 'one indicator of CONTRACT §6' });
components.add(Indicator, { id: 'Indicator' });

export const CoverageRow = z.object({
  id: z.string(),
  name: z.string(),
  nameEn: z.string().optional(),
  ruralPopulation: z.number().int(),
  meetsTargets: z.boolean().optional().meta({
    description: 'county rows: whether the county meets every target standardizedCountyShare counts',
  }),
  indicators: z.object(
    Object.fromEntries(INDICATOR_NAMES.map((n) => [n, Indicator])) as Record<
      (typeof INDICATOR_NAMES)[number],
      typeof Indicator
    >,
  ),
});
components.add(CoverageRow, { id: 'CoverageRow' });

export const Coverage = z.object({
  groupBy: z.enum(GROUP_BYS),
  window: z.object({ from: Time, to: Time }),
  period: z.string().optional().meta({ description: 'the calendar period asked for' }),
  timeZone: z.string().optional().meta({ description: 'the zone the period is in' }),
  rows: z.array(CoverageRow),
});
components.add(Coverage, { id: 'Coverage' });
