/** Schemas of the coverage route: query, indicators and rows (CONTRACT §6). */
import { z } from 'zod';
import { INDICATOR_NAMES } from '../../core/coverage/indicator.js';
import { GROUP_BYS } from '../../core/coverage/inputs.js';
import { durationParam, enumParam, timeParam } from '../params.js';
import { components, Time } from './common.js';

export const CoverageQuery = z.strictObject({
  groupBy: enumParam(
    GROUP_BYS,
    'one row for the region, per prefecture or per county (default county)',
  ).optional(),
  window: durationParam('length of the window ending at `to` (default 24h)').optional(),
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
  })
  .meta({ description: 'one indicator of CONTRACT §6' });
components.add(Indicator, { id: 'Indicator' });

export const CoverageRow = z.object({
  id: z.string(),
  name: z.string(),
  ruralPopulation: z.number().int(),
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
  rows: z.array(CoverageRow),
});
components.add(Coverage, { id: 'Coverage' });
