/** Resolves a rule's effective settings for one device: defaults, then registry overrides by specificity. */
import type { DeviceInfo } from '../registry.js';
import { RULE_IDS, type RuleId, type RuleOverride } from '../registry-schema.js';
import { DEFAULT_RULES, type RuleSettings, TURBIDITY_MAX_SMALL_NTU } from './defaults.js';

const OVERRIDABLE = [
  'min',
  'max',
  'severity',
  'raiseAfter',
  'clearAfter',
  'deadband',
  'enabled',
  'dropRatio',
  'windowS',
  'factor',
  'count',
  'riseRatio',
  'typicalS',
  'sigma',
  'fallRaiseAfter',
] as const;

/** 0 = everywhere, 1 = site kind, 2 = site, 3 = device; `null` when the override does not cover the device. */
function specificity(o: RuleOverride, device: DeviceInfo): number | null {
  if (o.device !== undefined) return o.device === device.id ? 3 : null;
  if (o.site !== undefined) return o.site === device.siteId ? 2 : null;
  if (o.siteKind !== undefined) return o.siteKind === device.siteKind ? 1 : null;
  return 0;
}

/**
 * The settings of `rule` for `device`, or `null` when the rule does not apply there. The most specific
 * override wins; fields it leaves out come from the next one, then the defaults (CONTRACT §2). A scoped
 * override (site kind, site or device) also makes a rule apply where it would not by default, e.g.
 * turbidity at a source.
 */
export function effectiveSettings(
  rule: RuleId,
  device: DeviceInfo,
  overrides: readonly RuleOverride[],
  /** Also the settings of a disabled rule: its limits still judge quality samples (CONTRACT §6). */
  opts: { evenDisabled?: boolean } = {},
): RuleSettings | null {
  const def = DEFAULT_RULES[rule];
  const matching = overrides
    .map((o) => ({ o, s: o.rule === rule ? specificity(o, device) : null }))
    .filter((m): m is { o: RuleOverride; s: number } => m.s !== null)
    .sort((a, b) => a.s - b.s);
  const scoped = matching.some((m) => m.s > 0);
  if (!def.appliesTo.includes(device.siteKind) && !scoped) return null;

  // Defaults that differ by site kind (DefaultRule.bySiteKind), under every override.
  const settings: RuleSettings = { ...def.settings, ...def.bySiteKind?.[device.siteKind] };
  // GB 5749-2022 Table 1 note: the 3 NTU limit for small supplies.
  if (rule === 'turbidity-max' && !device.scale) settings.max = TURBIDITY_MAX_SMALL_NTU;
  // Least specific first, so each more specific override writes over it.
  for (const { o } of matching) {
    for (const field of OVERRIDABLE) {
      if (o[field] !== undefined) (settings as unknown as Record<string, unknown>)[field] = o[field];
    }
  }
  if (rule === 'flatline') settings.raiseAfter = settings.count ?? settings.raiseAfter;
  return settings.enabled || opts.evenDisabled ? settings : null;
}

/** Every rule in force for a device, with its effective settings, in the order of CONTRACT §5. */
export function rulesFor(device: DeviceInfo, overrides: readonly RuleOverride[]): RuleSettings[] {
  const out: RuleSettings[] = [];
  for (const rule of RULE_IDS) {
    const s = effectiveSettings(rule, device, overrides);
    if (s) out.push(s);
  }
  return out;
}
