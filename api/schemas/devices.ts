/** Schemas of the device routes: the device list and one device's readings. */
import { z } from 'zod';
import { METRIC_NAMES } from '../../core/metrics.js';
import { durationParam, enumParam, idParam, timeParam } from '../params.js';
import { components, Time } from './common.js';

export const DeviceListQuery = z.strictObject({
  county: idParam('only devices of this county').optional(),
});

export const ReadingsQuery = z.strictObject({
  metric: enumParam(METRIC_NAMES as [string, ...string[]], 'the metric; one the device reports'),
  from: timeParam('start of the window (default 24 h before `to`)').optional(),
  to: timeParam('end of the window (default now)').optional(),
  every: durationParam('bucket width; absent = raw values').optional(),
});

export const DeviceItem = z.object({
  id: z.string(),
  siteId: z.string(),
  schemeId: z.string(),
  countyId: z.string(),
  metrics: z.array(z.string()),
  intervalS: z.number().int(),
  online: z.boolean().meta({ description: 'connected to the broker now' }),
  lastSeen: Time.nullable().meta({ description: 'ts of its newest Reading; null before the first' }),
});
export const DeviceList = z.object({ items: z.array(DeviceItem) });
components.add(DeviceItem, { id: 'Device' });
components.add(DeviceList, { id: 'DeviceList' });

export const Point = z.object({
  ts: Time.meta({ description: 'the bucket start, or the Reading time for raw values' }),
  mean: z.number(),
  min: z.number(),
  max: z.number(),
  count: z.number().int(),
});
export const Readings = z.object({ deviceId: z.string(), metric: z.string(), points: z.array(Point) });
components.add(Point, { id: 'Point' });
components.add(Readings, { id: 'Readings' });
