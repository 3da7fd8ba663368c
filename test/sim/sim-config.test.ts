/** The simulator's flags: every problem reported at once, unknown flags refused, replays bounded to 30 days. */
import { describe, expect, it } from 'vitest';
import { parseFaultFlag } from '../../devices-sim/faults.js';
import { parseSimConfig } from '../../devices-sim/sim-config.js';

const NOW = Date.parse('2026-05-10T00:00:00Z');

describe('simulator configuration', () => {
  it('runs live with defaults and the broker from MQTT_URL', () => {
    const r = parseSimConfig([], { MQTT_URL: 'mqtt://broker:1883' }, NOW);
    expect(r).toMatchObject({
      ok: true,
      value: { mqttUrl: 'mqtt://broker:1883', start: null, speed: 1, seed: 1, truth: null },
    });
  });

  it('loads a named scenario and writes its truth to the default file', () => {
    const r = parseSimConfig(['--scenario', 'bursts'], {}, NOW);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.value.scenario.name).toBe('bursts');
    expect(r.value.scenario.entries.every((e) => e.kind === 'burst')).toBe(true);
    expect(r.value.truth).toBe('sim-truth.jsonl');
  });

  it('replays from a relative start at a speed, and takes flags with = too', () => {
    const r = parseSimConfig(
      ['--start=-1d', '--speed', '96', '--duration', '1d', '--seed=7', '--county', 'xiji'],
      {},
      NOW,
    );
    expect(r).toMatchObject({
      ok: true,
      value: { start: NOW - 86_400_000, speed: 96, durationMs: 86_400_000, seed: 7, county: 'xiji' },
    });
  });

  it('reports every problem at once, naming each flag', () => {
    const r = parseSimConfig(
      [
        '--speed',
        '50',
        '--bogus',
        '--devices',
        'many',
        '--start',
        '2026-03-01T00:00:00Z',
        '--fault',
        'burst,at=soon',
      ],
      {},
      NOW,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['--bogus', '--devices', '--start', '--fault[0].for']));
    expect(r.issues.find((i) => i.path === '--start')!.message).toMatch(/29 days/);
  });

  it('refuses a fast speed without a replay start, since readings may not come from the future', () => {
    const r = parseSimConfig(['--speed', '10'], {}, NOW);
    expect(r).toMatchObject({ ok: false, issues: [{ path: '--speed' }] });
  });

  it('takes the same settings from the environment', () => {
    const r = parseSimConfig(
      [],
      { SIM_SCENARIO: 'mixed-day', SIM_START: '-2h', SIM_SPEED: '4', SIM_TRUTH: '/tmp/t.jsonl' },
      NOW,
    );
    expect(r).toMatchObject({ ok: true, value: { start: NOW - 7_200_000, speed: 4, truth: '/tmp/t.jsonl' } });
  });

  it('reads a --fault flag as a scenario entry', () => {
    expect(parseFaultFlag('burst,site=xiji-s01-p2,at=+10m,for=30m,severity=0.5')).toEqual({
      kind: 'burst',
      site: 'xiji-s01-p2',
      at: '+10m',
      for: '30m',
      severity: 0.5,
    });
  });
});

describe('simulator flags through parseArgs', () => {
  it('keeps every --fault in order, takes --demo or DEMO=1, and names an unknown flag beside a missing value', () => {
    const r = parseSimConfig(
      [
        '--fault',
        'sensor-stuck,device=d-1,at=+1m,for=5m',
        '--demo',
        '--fault=sensor-drift,device=d-2,at=+2m,for=5m',
      ],
      {},
      NOW,
    );
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.ok && r.value.demo).toBe(true);
    expect(r.ok && r.value.scenario.entries.map((e) => e.kind)).toEqual(['sensor-stuck', 'sensor-drift']);
    const env = parseSimConfig([], { DEMO: '1' }, NOW);
    expect(env.ok && env.value.demo).toBe(true);
    const bad = parseSimConfig(['--frob', '--seed', '--demo=1'], {}, NOW);
    expect(bad.ok ? [] : bad.issues.map((i) => i.message)).toEqual([
      'unknown flag "--frob" (see --help)',
      '--seed needs a value',
      '--demo takes no value',
    ]);
  });
});
