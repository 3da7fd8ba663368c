/** The registry file's shape (CONTRACT §2): assets, people served, credentials and rule overrides. */
import { z } from 'zod';
import { Id } from './ids.js';
import { METRIC_NAMES } from './metrics.js';
import { NotifySection } from './notify/schema.js';
import { isTimeZone } from './time-zone.js';

const Name = z.string().min(1).max(200);
const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits (a SHA-256)');
const Ratio = z.number().min(0).max(1);
/** An English name for the English pages, beside the Chinese `name`. */
const NameEn = Name.optional();
/** IANA zone name: calendar periods and day buckets are in it (CONTRACT §6). */
export const TimeZone = z.string().refine(isTimeZone, 'must be an IANA time zone name such as Asia/Shanghai');

export const SITE_KINDS = ['source', 'plant', 'reservoir', 'pipe', 'tap'] as const;
export const SiteKind = z.enum(SITE_KINDS);
export type SiteKind = z.infer<typeof SiteKind>;

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const MetricName = z.enum(METRIC_NAMES as [string, ...string[]]);

export const Targets = z.strictObject({
  year: z.number().int().min(2000).max(2100),
  tapWaterRate: Ratio,
  scaleCoverage: Ratio,
  integrationRate: Ratio,
  qualityCompliance: Ratio,
  monitoringOnline: Ratio,
  safeWaterCoverage: Ratio,
  standardizedCountyShare: Ratio,
});
export type Targets = z.infer<typeof Targets>;

export const Prefecture = z.strictObject({ id: Id, name: Name, nameEn: NameEn });
export const County = z.strictObject({ id: Id, name: Name, nameEn: NameEn, prefecture: Id });
export const Scheme = z.strictObject({
  id: Id,
  name: Name,
  nameEn: NameEn,
  county: Id,
  capacityM3PerDay: z.number().nonnegative(),
  integrated: z.boolean(),
});
export const Site = z.strictObject({
  id: Id,
  scheme: Id,
  kind: SiteKind,
  upstream: Id.optional(),
  name: Name.optional(),
  nameEn: NameEn,
});
export const Device = z.strictObject({
  id: Id,
  site: Id,
  metrics: z.array(MetricName).min(1),
  // A reporting interval between 1 s and 1 day; `stale` fires after 3 × intervalS (CONTRACT §5).
  intervalS: z.number().int().min(1).max(86_400),
  tokenSha256: Sha256Hex,
});
export const Village = z.strictObject({
  id: Id,
  county: Id,
  population: z.number().int().nonnegative(),
  scheme: Id.nullable(),
  tap: z.boolean(),
  name: Name.optional(),
  nameEn: NameEn,
});
export const ApiKey = z.strictObject({
  id: Id,
  role: Role,
  keySha256: Sha256Hex,
  counties: z.array(Id).optional(),
});

export const RULE_IDS = [
  'turbidity-max',
  'chlorine-plant',
  'chlorine-network',
  'ph-range',
  'pressure-low',
  'pressure-high',
  'pressure-drop',
  'stale',
  'flatline',
  'offline',
  'plant-outage',
  'burst',
  'chlorine-demand',
  'turbidity-rate',
  'chlorine-rate',
  'ph-rate',
  'conductivity-rate',
  'level-rate',
  'quality-anomaly',
] as const;
export const RuleId = z.enum(RULE_IDS);
/** An online rule of CONTRACT §5 (a lab alert's `lab-<indicator>` is not one). */
export function isRuleId(id: string): id is RuleId {
  return (RULE_IDS as readonly string[]).includes(id);
}
export type RuleId = z.infer<typeof RuleId>;

export const Severity = z.enum(['warning', 'critical']);
export type Severity = z.infer<typeof Severity>;

/** One override of a default rule; at most one scope (CONTRACT §2). */
export const RuleOverride = z
  .strictObject({
    rule: RuleId,
    siteKind: SiteKind.optional(),
    site: Id.optional(),
    device: Id.optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    severity: Severity.optional(),
    raiseAfter: z.number().int().min(1).max(1000).optional(),
    clearAfter: z.number().int().min(1).max(1000).optional(),
    deadband: z.number().min(0).max(1).optional(),
    enabled: z.boolean().optional(),
    dropRatio: z.number().gt(0).lt(1).optional(),
    windowS: z.number().int().min(1).max(86_400).optional(),
    factor: z.number().gt(0).max(1000).optional(),
    count: z.number().int().min(2).max(100_000).optional(),
    riseRatio: z.number().gt(0).max(100).optional(),
    typicalS: z
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .optional(),
    sigma: z.number().gt(0).max(100).optional(),
    fallRaiseAfter: z.number().int().min(1).max(1000).optional(),
  })
  .refine((r) => [r.siteKind, r.site, r.device].filter((s) => s !== undefined).length <= 1, {
    message: 'a rule override names at most one scope: siteKind, site or device',
  });
export type RuleOverride = z.infer<typeof RuleOverride>;

/**
 * How coverage is judged. `safeWaterBasis`: what makes a scheme's water safe for safeWaterCoverage —
 * `lab` samples only, `online` quality samples only, or `auto` (default): lab where the scheme has lab
 * samples in the period, online otherwise (GB 5749-2022 is judged officially on laboratory analyses).
 */
export const CoverageSettings = z.strictObject({
  safeWaterBasis: z.enum(['auto', 'lab', 'online']).optional(),
});
export type CoverageSettings = z.infer<typeof CoverageSettings>;

export const RegistryShape = z.strictObject({
  version: z.literal(1),
  region: z.strictObject({ id: Id, name: Name, nameEn: NameEn, timeZone: TimeZone.optional() }),
  targets: Targets,
  prefectures: z.array(Prefecture),
  counties: z.array(County),
  schemes: z.array(Scheme),
  sites: z.array(Site),
  devices: z.array(Device),
  villages: z.array(Village),
  apiKeys: z.array(ApiKey),
  rules: z.array(RuleOverride).optional(),
  /** Who hears of alerts and how (core/notify/schema.ts); absent = nobody is notified. */
  notify: NotifySection.optional(),
  coverage: CoverageSettings.optional(),
});
export type RegistryFile = z.infer<typeof RegistryShape>;
export type County = z.infer<typeof County>;
export type Scheme = z.infer<typeof Scheme>;
export type Site = z.infer<typeof Site>;
export type Device = z.infer<typeof Device>;
export type Village = z.infer<typeof Village>;
export type ApiKey = z.infer<typeof ApiKey>;
