/** What coverage is computed from: the registry, the store's counts over a window, and the window. */
import type { Registry } from '../registry.js';

/** Quality samples of one scheme in the window (structurally the store's QualityCount and LabCount). */
export interface SchemeQuality {
  schemeId: string;
  samples: number;
  compliant: number;
}

export interface CoverageWindow {
  /** Inclusive bounds, epoch ms. */
  from: number;
  to: number;
}

export interface CoverageInputs {
  registry: Registry;
  window: CoverageWindow;
  /** Online quality samples (turbidity, chlorine, pH Readings) per scheme. */
  quality: readonly SchemeQuality[];
  /** Laboratory samples per scheme, each judged whole (absent = none). */
  lab?: readonly SchemeQuality[];
  /**
   * Online quality samples already in `quality` that are left out as suspect (Readings of a device with
   * an active flatline alert): subtracted from qualityCompliance, and counted in its `excluded`.
   */
  suspect?: readonly SchemeQuality[];
  /** `ts` of each device's newest Reading at or before the window's end. */
  lastSeen: ReadonlyMap<string, number>;
}

export const GROUP_BYS = ['region', 'prefecture', 'county', 'scheme'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];
