/** Operational, rate and statistical rules on hand-written sequences: each compared with the device's own typical values. */
import { describe, expect, it } from 'vitest';
import { eventThreshold } from '../../core/rules/anomaly.js';
import { evaluate } from '../../core/rules/evaluate.js';
import { initialState } from '../../core/rules/rule-state.js';
import { rulesFor } from '../../core/rules/settings.js';
import { Feed, registryWith, T0 } from '../helpers/rule-run.js';

const only = (rule: string, events: string[]) => events.filter((e) => e.includes(` ${rule}@`));

describe('plant-outage', () => {
  it('raises on the 1st Reading of outlet flow below 30 % of its typical flow, and clears when it is back', () => {
    const feed = new Feed('d-0001');
    const flows = [...Array(20).fill(100), 10, 5, 5, 90, 95, 100];
    expect(only('plant-outage', feed.series('flow', flows))).toEqual([
      'raised plant-outage@20',
      'cleared plant-outage@24',
    ]);
    const alert = feed.log[20]!.events.find((e) => e.alert.ruleId === 'plant-outage')!.alert;
    expect(alert).toMatchObject({ kind: 'operational', severity: 'critical', metric: 'flow', value: 10 });
    expect(alert.limit).toBeCloseTo(30, 0);
    expect(alert.message).toMatch(
      /outlet flow 10 m³\/h, below 30 % of its typical 100 m³\/h at plant xiji-s1-plant/,
    );
  });

  it('follows the night fall of demand without raising', () => {
    const feed = new Feed('d-0001');
    // Down from 100 to 45 (the rural night minimum) over three hours, then back up.
    const flows = Array.from({ length: 360 }, (_, i) => 100 - 55 * Math.sin((Math.PI * i) / 360));
    expect(only('plant-outage', feed.series('flow', flows))).toEqual([]);
  });

  it('judges nothing before it knows the typical flow', () => {
    const feed = new Feed('d-0001');
    expect(only('plant-outage', feed.series('flow', [100, 100, 0, 0, 0]))).toEqual([]);
  });

  it('takes its ratio from the registry', () => {
    const feed = new Feed('d-0001', registryWith([{ rule: 'plant-outage', dropRatio: 0.4 }]));
    expect(only('plant-outage', feed.series('flow', [...Array(20).fill(100), 65, 55]))).toEqual([
      'raised plant-outage@21',
    ]);
  });

  it('waits for a 2nd Reading when the registry says raiseAfter 2', () => {
    const feed = new Feed('d-0001', registryWith([{ rule: 'plant-outage', raiseAfter: 2 }]));
    expect(only('plant-outage', feed.series('flow', [...Array(20).fill(100), 10, 10]))).toEqual([
      'raised plant-outage@21',
    ]);
  });
});

describe('burst', () => {
  const registry = registryWith([], (f) => {
    f.devices[1]!.metrics = ['pressure', 'chlorine', 'flow'];
  });
  const steady = (feed: Feed, n: number) => {
    for (let i = 0; i < n; i++) feed.push({ flow: 50, pressure: 0.4 });
  };

  it('raises at once on flow up and pressure down together', () => {
    const feed = new Feed('d-0002', registry);
    steady(feed, 40);
    const s = feed.push({ flow: 80, pressure: 0.3 });
    expect(s.events.map((e) => e.alert.ruleId)).toContain('burst');
    expect(s.events.find((e) => e.alert.ruleId === 'burst')!.alert.message).toMatch(/a possible burst/);
  });

  it('raises nothing for more demand (flow up, pressure steady) or a closed valve (pressure down, flow steady)', () => {
    const feed = new Feed('d-0002', registry);
    steady(feed, 40);
    expect(feed.push({ flow: 80, pressure: 0.39 }).events.map((e) => e.alert.ruleId)).not.toContain('burst');
    const other = new Feed('d-0002', registry);
    steady(other, 40);
    expect(other.push({ flow: 50, pressure: 0.3 }).events.map((e) => e.alert.ruleId)).not.toContain('burst');
  });

  it('does not apply to a device without both flow and pressure', () => {
    expect(rulesFor(registryWith().devices.get('d-0002')!, []).some((r) => r.rule === 'burst')).toBe(true);
    const feed = new Feed('d-0002');
    for (let i = 0; i < 40; i++) feed.push({ pressure: 0.4 });
    expect(feed.push({ pressure: 0.2 }).events.map((e) => e.alert.ruleId)).not.toContain('burst');
  });
});

describe('rate of change per metric', () => {
  it('raises turbidity-rate on a doubling well before the 1 NTU limit', () => {
    const feed = new Feed('d-0001');
    const base = Array.from({ length: 10 }, (_, i) => 0.2 + (i % 3) * 0.01);
    const events = feed.series('turbidity', [...base, 0.75, 0.8, 0.8]);
    expect(events).toEqual(['raised turbidity-rate@11']);
  });

  it('raises chlorine-rate at the works outlet on the 1st Reading of a fall: the dose failing', () => {
    const feed = new Feed('d-0001');
    const base = Array.from({ length: 40 }, (_, i) => 0.8 + (i % 3) * 0.005);
    expect(only('chlorine-rate', feed.series('chlorine', [...base, 0.6, 0.4]))).toEqual([
      'raised chlorine-rate@40',
    ]);
  });

  it('needs 2 Readings of a rise at the works outlet, so one high spike raises nothing', () => {
    const feed = new Feed('d-0001');
    const base = Array.from({ length: 40 }, (_, i) => 0.8 + (i % 3) * 0.005);
    expect(only('chlorine-rate', feed.series('chlorine', [...base, 1.1, 0.8, 1.1, 1.1]))).toEqual([
      'raised chlorine-rate@43',
    ]);
  });

  it('needs 2 Readings of a fall in the network, where chlorine moves with water age', () => {
    const feed = new Feed('d-0002');
    const base = Array.from({ length: 80 }, (_, i) => 0.5 + (i % 3) * 0.005);
    expect(only('chlorine-rate', feed.series('chlorine', [...base, 0.3, 0.5, 0.3, 0.3]))).toEqual([
      'raised chlorine-rate@83',
    ]);
  });

  it('takes the number of falling Readings from the registry', () => {
    const feed = new Feed(
      'd-0001',
      registryWith([{ rule: 'chlorine-rate', siteKind: 'plant', fallRaiseAfter: 2 }]),
    );
    const base = Array.from({ length: 40 }, (_, i) => 0.8 + (i % 3) * 0.005);
    expect(only('chlorine-rate', feed.series('chlorine', [...base, 0.6, 0.4]))).toEqual([
      'raised chlorine-rate@41',
    ]);
  });

  it('lets a slow change pass', () => {
    const feed = new Feed('d-0001');
    const events = feed.series(
      'chlorine',
      Array.from({ length: 120 }, (_, i) => 0.8 - i * 0.002),
    );
    expect(only('chlorine-rate', events)).toEqual([]);
  });

  it('is switched off per site kind by the registry', () => {
    const feed = new Feed(
      'd-0001',
      registryWith([{ rule: 'turbidity-rate', siteKind: 'plant', enabled: false }]),
    );
    const base = Array.from({ length: 10 }, (_, i) => 0.2 + (i % 3) * 0.01);
    expect(feed.series('turbidity', [...base, 0.75, 0.8, 0.8])).toEqual([]);
  });
});

describe('chlorine-demand', () => {
  it('raises when the fall of chlorine between the works and the site changes by more than 0.3 mg/L', () => {
    const registry = registryWith();
    const device = registry.devices.get('d-0002')!;
    const rules = rulesFor(device, []);
    let state = initialState(T0);
    const out: string[] = [];
    const push = (i: number, chlorine: number, plant: number) => {
      const r = evaluate(
        state,
        device,
        { ts: T0 + i * 30_000, values: { chlorine } },
        rules,
        T0 + i * 30_000,
        {
          plantChlorine: plant,
        },
      );
      state = r.state;
      for (const e of r.events) out.push(`${e.type} ${e.alert.ruleId}@${i}`);
    };
    for (let i = 0; i < 80; i++) push(i, 0.5, 0.8);
    // The works still doses 0.8 but the site gets 0.12: something in the pipes eats chlorine.
    push(80, 0.12, 0.8);
    push(81, 0.12, 0.8);
    expect(only('chlorine-demand', out)).toEqual(['raised chlorine-demand@81']);
  });

  it('judges nothing without a reading from the works', () => {
    const feed = new Feed('d-0002');
    expect(only('chlorine-demand', feed.series('chlorine', [...Array(80).fill(0.5), 0.1, 0.1]))).toEqual([]);
  });
});

describe('quality-anomaly (statistical)', () => {
  it('is off by default', () => {
    expect(
      rulesFor(registryWith().devices.get('d-0001')!, []).some((r) => r.rule === 'quality-anomaly'),
    ).toBe(false);
  });

  it('needs more outliers in its window than chance gives: 4 of 12 at a 2 % outlier rate', () => {
    expect(eventThreshold(12)).toBe(4);
    expect(eventThreshold(30)).toBeGreaterThan(eventThreshold(12));
  });

  it('raises a warning naming the metrics that moved together, and ignores one outlier', () => {
    const feed = new Feed('d-0001', registryWith([{ rule: 'quality-anomaly', enabled: true }]));
    const noise = (i: number) => ((i * 7919) % 13) / 13 - 0.5;
    const normal = (i: number) => ({
      chlorine: 0.8 + 0.02 * noise(i),
      ph: 7.3 + 0.03 * noise(i + 5),
      turbidity: 0.2,
      flow: 100,
    });
    const events: string[] = [];
    const push = (v: ReturnType<typeof normal>) => {
      for (const e of feed.push(v).events)
        if (e.alert.ruleId === 'quality-anomaly') events.push(e.alert.message);
    };
    for (let i = 0; i < 200; i++) push(normal(i));
    push({ ...normal(200), chlorine: 0.6 });
    for (let i = 201; i < 215; i++) push(normal(i));
    expect(events).toEqual([]);
    for (let i = 215; i < 221; i++) push({ ...normal(i), chlorine: 0.6, ph: 7.0 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatch(/free chlorine, pH moved together away from their daily pattern/);
  });
});
