/** Scoring alerts against hand-written ground truth: detection, false alerts, time to detect. */
import { describe, expect, it } from 'vitest';
import { type ScoredAlert, scoreAlerts, simTimeOf } from '../../devices-sim/score.js';
import type { FaultRecord, RunRecord } from '../../devices-sim/truth-record.js';

const iso = (s: string) => new Date(Date.parse(`2026-05-01T${s}Z`)).toISOString();
const run: RunRecord = {
  record: 'run',
  seed: 1,
  simStart: iso('00:00:00'),
  speed: 1,
  wallStart: iso('00:00:00'),
  durationMs: 86_400_000,
  devices: ['d-1', 'd-2', 'd-3', 'd-4'],
};
const fault = (
  id: string,
  kind: FaultRecord['kind'],
  start: string,
  effectEnd: string,
  expected: [string, string][],
  allowed: [string, string][] = [],
): FaultRecord => ({
  record: 'fault',
  id,
  kind,
  schemeId: 's',
  countyId: 'c',
  siteId: 'x',
  deviceIds: [],
  start: iso(start),
  end: iso(start),
  effectEnd: iso(effectEnd),
  params: {},
  expected: expected.map(([ruleId, deviceId]) => ({ ruleId: ruleId as never, deviceId })),
  allowed: allowed.map(([ruleId, deviceId]) => ({ ruleId: ruleId as never, deviceId })),
});
const alert = (id: string, ruleId: string, deviceId: string, at: string): ScoredAlert => ({
  id,
  ruleId,
  deviceId,
  raisedAt: iso(at),
});
const simEnd = Date.parse(iso('23:59:59'));

describe('scoring alerts against the ground truth', () => {
  const faults = [
    fault('f-1', 'burst', '01:00:00', '02:00:00', [['pressure-drop', 'd-1']], [['pressure-low', 'd-2']]),
    fault('f-2', 'dosing-failure', '05:00:00', '12:00:00', [
      ['chlorine-plant', 'd-3'],
      ['chlorine-network', 'd-4'],
    ]),
    fault('f-3', 'sensor-stuck', '14:00:00', '16:00:00', [['flatline', 'd-2']]),
    fault('f-4', 'malformed', '18:00:00', '19:00:00', []),
  ];

  it('counts a fault detected by its first expected alert, and measures time to detect from its start', () => {
    const s = scoreAlerts({
      run,
      faults,
      simEnd,
      wallEnd: simEnd,
      alerts: [
        alert('a1', 'pressure-drop', 'd-1', '01:00:30'),
        alert('a2', 'chlorine-network', 'd-4', '09:00:00'),
        alert('a3', 'chlorine-plant', 'd-3', '05:02:00'),
      ],
    });
    expect(s).toMatchObject({ faults: 4, detectable: 3, detected: 2, missed: ['f-3'], falseAlerts: 0 });
    expect(s.detectionRate).toBeCloseTo(2 / 3);
    expect(s.ttd).toMatchObject({ medianS: (30 + 120) / 2, maxS: 120 });
    expect(s.expectedRaised).toBe(3);
    expect(s.expectedTotal).toBe(4);
    expect(s.byKind.burst).toMatchObject({ faults: 1, detectable: 1, detected: 1, medianTtdS: 30 });
  });

  it('calls an alert false when no fault explains it, but not one a fault allows', () => {
    const s = scoreAlerts({
      run,
      faults,
      simEnd,
      wallEnd: simEnd,
      alerts: [
        alert('a1', 'pressure-low', 'd-2', '01:10:00'),
        alert('a2', 'turbidity-max', 'd-1', '03:00:00'),
        alert('a3', 'pressure-drop', 'd-1', '04:00:00'),
        alert('a4', 'ph-range', 'd-3', '18:30:00'),
      ],
    });
    expect(s.falseAlerts).toBe(3);
    expect(s.falseByRule).toEqual({ 'turbidity-max': 1, 'pressure-drop': 1, 'ph-range': 1 });
    // 4 devices over one day: 4 device-days.
    expect(s.deviceDays).toBeCloseTo(4, 3);
    expect(s.falsePerDeviceDay).toBeCloseTo(0.75, 3);
  });

  it('ignores alerts of devices outside the run and outside its window', () => {
    const s = scoreAlerts({
      run,
      faults,
      simEnd: Date.parse(iso('12:00:00')),
      wallEnd: Date.parse(iso('12:00:00')),
      alerts: [alert('a1', 'stale', 'd-99', '03:00:00'), alert('a2', 'stale', 'd-1', '13:30:00')],
    });
    expect(s.alertsInRun).toBe(0);
    expect(s.falseAlerts).toBe(0);
  });

  it('reports no detection rate when nothing was meant to be detected', () => {
    const s = scoreAlerts({ run, faults: [faults[3]!], simEnd, wallEnd: simEnd, alerts: [] });
    expect(s.detectionRate).toBeNull();
    expect(s.ttd).toMatchObject({ medianS: null, maxS: null });
  });

  it('maps a wall-clock stale alert of a fast replay back onto simulated time', () => {
    const replay: RunRecord = { ...run, speed: 60, simStart: iso('00:00:00'), wallStart: iso('12:00:00') };
    // Ten wall minutes into the replay is ten simulated hours in.
    expect(simTimeOf(Date.parse(iso('12:10:00')), replay, Date.parse(iso('12:30:00')))).toBe(
      Date.parse(iso('10:00:00')),
    );
    // A reading's own time (in the past) is kept as it is.
    expect(simTimeOf(Date.parse(iso('03:00:00')), replay, Date.parse(iso('12:30:00')))).toBe(
      Date.parse(iso('03:00:00')),
    );
    const s = scoreAlerts({
      run: replay,
      faults: [fault('f-9', 'device-offline', '09:00:00', '11:00:00', [['stale', 'd-2']])],
      simEnd: Date.parse(iso('23:59:00')),
      wallEnd: Date.parse(iso('12:30:00')),
      alerts: [alert('a1', 'stale', 'd-2', '12:10:00')],
    });
    expect(s.detected).toBe(1);
    expect(s.ttd.medianS).toBe(3600);
  });

  it('gives times to detect in reporting intervals of the device that can see the fault first', () => {
    const f = {
      ...fault('f-1', 'burst', '01:00:00', '02:00:00', [
        ['pressure-drop', 'd-1'],
        ['pressure-low', 'd-2'],
      ]),
    };
    f.expected = [
      { ruleId: 'pressure-low', deviceId: 'd-2', at: iso('01:05:00') },
      { ruleId: 'pressure-drop', deviceId: 'd-1', at: iso('01:00:30') },
    ];
    const s = scoreAlerts({
      run: { ...run, intervals: { 'd-1': 30, 'd-2': 300 } },
      faults: [f],
      simEnd,
      wallEnd: simEnd,
      alerts: [alert('a1', 'pressure-low', 'd-2', '01:01:30')],
    });
    // Detected 90 s after the start; the first device able to see it (d-1) reports every 30 s.
    expect(s.byKind.burst).toMatchObject({ medianTtdS: 90, medianTtdIntervals: 3, maxTtdIntervals: 3 });
    expect(s.ttd.medianIntervals).toBe(3);
  });

  it('does not count faults scheduled after the end of a shorter replay as missed', () => {
    const s = scoreAlerts({
      run,
      faults,
      simEnd: Date.parse(iso('06:00:00')),
      wallEnd: Date.parse(iso('06:00:00')),
      alerts: [alert('a1', 'pressure-drop', 'd-1', '01:00:30')],
    });
    // f-3 (14:00) and f-4 (18:00) never happened; f-2 started at 05:00 and was missed.
    expect(s).toMatchObject({ faults: 2, detectable: 2, detected: 1, missed: ['f-2'], notReached: 2 });
  });

  it('scores the share of a fault’s downstream alerts in the incident of the right root', () => {
    const f: FaultRecord = {
      ...fault(
        'f-1',
        'burst',
        '01:00:00',
        '03:00:00',
        [
          ['pressure-drop', 'd-1'],
          ['pressure-low', 'd-2'],
        ],
        [
          ['pressure-low', 'd-3'],
          ['pressure-low', 'd-4'],
        ],
      ),
      siteId: 'j',
      rootSites: ['j', 'p1'],
      downstreamSites: ['p1', 't1', 't2', 't3'],
    };
    const at = (id: string, rule: string, dev: string, site: string, incidentId?: string): ScoredAlert => ({
      ...alert(id, rule, dev, '01:05:00'),
      siteId: site,
      ...(incidentId ? { incidentId } : {}),
    });
    const s = scoreAlerts({
      run,
      faults: [f],
      simEnd,
      wallEnd: simEnd,
      alerts: [
        at('a1', 'pressure-drop', 'd-1', 'p1', 'i.a1'),
        at('a2', 'pressure-low', 'd-2', 't1', 'i.a1'),
        at('a3', 'pressure-low', 'd-3', 't2', 'i.a1'),
        at('a4', 'pressure-low', 'd-4', 't3', 'i.other'),
      ],
      incidentRoots: new Map([
        ['i.a1', 'j'],
        ['i.other', 't3'],
      ]),
    });
    expect(s.grouping).toEqual({ downstream: 4, inRightIncident: 3, share: 0.75 });
    const wrongRoot = scoreAlerts({
      run,
      faults: [f],
      simEnd,
      wallEnd: simEnd,
      alerts: [at('a1', 'pressure-drop', 'd-1', 'p1', 'i.a1')],
      incidentRoots: new Map([['i.a1', 'res']]),
    });
    expect(wrongRoot.grouping).toEqual({ downstream: 1, inRightIncident: 0, share: 0 });
  });
});
