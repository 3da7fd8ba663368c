/** The metric catalogue: every quantity a device may report, its unit and physically possible range. */

/**
 * Ranges are CONTRACT §3 "physically possible range": a value outside one is a broken sensor or a
 * corrupt message, never water. They are deliberately wide; drinking-water limits live in the rules.
 */
export const METRICS = {
  turbidity: { unit: 'NTU', min: 0, max: 4000, label: 'Turbidity' },
  chlorine: { unit: 'mg/L', min: 0, max: 20, label: 'Free chlorine' },
  ph: { unit: 'pH', min: 0, max: 14, label: 'pH' },
  conductivity: { unit: 'µS/cm', min: 0, max: 100000, label: 'Conductivity' },
  temperature: { unit: '°C', min: -40, max: 90, label: 'Temperature' },
  flow: { unit: 'm³/h', min: 0, max: 100000, label: 'Flow' },
  pressure: { unit: 'MPa', min: -0.1, max: 10, label: 'Pressure' },
  level: { unit: 'm', min: 0, max: 1000, label: 'Level' },
} as const;

export type Metric = keyof typeof METRICS;

export const METRIC_NAMES = Object.keys(METRICS) as Metric[];

/** The metrics that count as drinking-water quality samples (CONTRACT §6, qualityCompliance). */
export const QUALITY_METRICS = ['turbidity', 'chlorine', 'ph'] as const satisfies readonly Metric[];

export function isMetric(name: string): name is Metric {
  return Object.hasOwn(METRICS, name);
}
