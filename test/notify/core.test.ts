/** The pure parts of notification: registry validation, routing, the schedule, the words and the SMS length. */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alert.js';
import { applyAlertEvent } from '../../core/alert-merge.js';
import { markSuppressed } from '../../core/notify/maintenance.js';
import { buildMessage, localTime, SMS_SEGMENT_CHARS } from '../../core/notify/message.js';
import { recipientsAt } from '../../core/notify/route.js';
import { escalationPolicy, stepsDue } from '../../core/notify/schedule.js';
import type { NotifySection } from '../../core/notify/schema.js';
import { parseRegistry } from '../../core/registry.js';
import { smallRegistry } from '../helpers/small-registry.js';

const alert: Alert = {
  id: 'a-1',
  ruleId: 'turbidity-max',
  kind: 'threshold',
  metric: 'turbidity',
  deviceId: 'd-0001',
  siteId: 'xiji-s1-plant',
  schemeId: 'xiji-s1',
  countyId: 'xiji',
  severity: 'critical',
  active: true,
  acknowledged: false,
  raisedAt: '2026-12-07T14:03:00.000Z',
  value: 1.8,
  limit: 1,
  message: 'turbidity 1.8 NTU above 1 NTU',
};
const place = { countyId: 'xiji', prefectureId: 'guyuan', schemeId: 'xiji-s1' };

const issuesOf = (notify: unknown) => {
  const r = parseRegistry({ ...smallRegistry(), notify });
  return r.ok ? [] : r.issues;
};

describe('registry notify section', () => {
  it('accepts channels that name their secrets by environment variable', () => {
    const notify: NotifySection = {
      channels: [
        { id: 'wx', type: 'wecom', urlEnv: 'XIJI_WECOM_URL' },
        {
          id: 'mail',
          type: 'email',
          host: 'smtp.county.test',
          port: 587,
          user: 'wl',
          passwordEnv: 'SMTP_PASS',
          from: 'wl@county.test',
        },
      ],
      routes: [
        {
          id: 'xiji',
          match: { counties: ['xiji'] },
          targets: [{ channel: 'wx' }, { channel: 'mail', to: ['duty@county.test'] }],
        },
      ],
    };
    expect(issuesOf(notify)).toEqual([]);
  });

  it('refuses a secret written in the file, naming where', () => {
    const issues = issuesOf({
      channels: [
        { id: 'h', type: 'webhook', url: 'https://qyapi.example/cgi-bin/webhook/send?key=693a91f6' },
        { id: 'f', type: 'webhook', url: 'https://open.example/open-apis/bot/v2/hook/abcdef' },
        { id: 'u', type: 'webhook', url: 'https://user:pw@hooks.example/x' },
        { id: 'd', type: 'dingtalk', urlEnv: 'https://oapi.dingtalk.example/robot/send?access_token=x' },
        { id: 'm', type: 'email', host: 'h', port: 25, from: 'a@b', password: 'hunter2' },
        {
          id: 's',
          type: 'sms',
          url: 'https://gw.example/',
          bodyTemplate: '{{text}}',
          headers: { Authorization: 'Bearer abc' },
        },
      ],
      routes: [],
    });
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'notify.channels[0].url',
        'notify.channels[1].url',
        'notify.channels[2].url',
        'notify.channels[3].urlEnv',
        'notify.channels[4]',
        'notify.channels[5].headers.Authorization',
      ]),
    );
  });

  it('reports routes naming unknown channels, counties, schemes and rules with their JSON paths', () => {
    const issues = issuesOf({
      channels: [
        {
          id: 'sms',
          type: 'sms',
          url: 'https://gw.example/send',
          bodyTemplate: '{"to":{{to}},"text":{{text}}}',
        },
      ],
      routes: [
        {
          id: 'r',
          match: { counties: ['nowhere'], schemes: ['no-scheme'], rules: ['no-rule'] },
          targets: [{ channel: 'missing' }, { channel: 'sms' }, { channel: 'sms', to: ['not-a-number'] }],
        },
      ],
    });
    expect(issues.map((i) => i.path)).toEqual([
      'notify.routes[0].match.counties[0]',
      'notify.routes[0].match.schemes[0]',
      'notify.routes[0].match.rules[0]',
      'notify.routes[0].targets[0].channel',
      'notify.routes[0].targets[1].to',
      'notify.routes[0].targets[2].to[0]',
    ]);
  });
});

describe('routing', () => {
  const notify: NotifySection = {
    channels: [
      { id: 'a', type: 'webhook', url: 'https://a.example/' },
      { id: 'b', type: 'webhook', url: 'https://b.example/' },
      { id: 'c', type: 'webhook', url: 'https://c.example/', enabled: false },
    ],
    routes: [
      { id: 'default', match: { counties: ['xiji'] }, fallback: true, targets: [{ channel: 'a' }] },
      {
        id: 'quality',
        match: { counties: ['xiji'], rules: ['turbidity-max'], severities: ['critical'] },
        targets: [{ channel: 'b' }, { channel: 'c' }],
      },
      { id: 'pref', level: 'prefecture', match: { prefectures: ['guyuan'] }, targets: [{ channel: 'a' }] },
    ],
  };
  it('uses the specific route when it matches and the county default otherwise; disabled channels send nothing', () => {
    expect(recipientsAt(notify, 'county', alert, place).map((r) => r.channel)).toEqual(['b']);
    const stale = { ...alert, ruleId: 'stale' as const };
    expect(recipientsAt(notify, 'county', stale, place).map((r) => r.channel)).toEqual(['a']);
    expect(recipientsAt(notify, 'prefecture', alert, place).map((r) => r.routeId)).toEqual(['pref']);
    expect(recipientsAt(notify, 'region', alert, place)).toEqual([]);
    expect(
      recipientsAt(notify, 'county', { ...alert, countyId: 'longde' }, { ...place, countyId: 'longde' }),
    ).toEqual([]);
  });
});

describe('schedule', () => {
  const policy = escalationPolicy({ repeatAfter: '15m', escalateAfter: '1h', maxRepeats: 2 });
  const t0 = Date.parse(alert.raisedAt);
  it('is a function of the raise time and the clock alone', () => {
    const at = (min: number) =>
      stepsDue({ id: 'a', raisedAtMs: t0, severity: 'critical' }, policy, t0 + min * 60_000).map(
        (s) => s.key,
      );
    expect(at(0)).toEqual(['a:raised']);
    expect(at(14)).toEqual(['a:raised']);
    expect(at(15)).toEqual(['a:raised', 'a:repeat-1']);
    expect(at(59)).toEqual(['a:raised', 'a:repeat-1', 'a:repeat-2']);
    expect(at(121)).toEqual(['a:raised', 'a:repeat-1', 'a:repeat-2', 'a:escalate-1', 'a:escalate-2']);
    expect(
      stepsDue({ id: 'a', raisedAtMs: t0, severity: 'warning' }, policy, t0 + 1e9).map((s) => s.key),
    ).toEqual(['a:raised']);
  });
});

describe('message', () => {
  const input = {
    alert,
    place: {
      countyName: '西吉县',
      schemeName: '西吉县城乡供水一体化工程',
      siteName: '一号水厂',
      siteKind: 'plant' as const,
    },
    kind: 'raised' as const,
    n: 0,
    timeZone: 'Asia/Shanghai',
    boardUrl: 'http://127.0.0.1:3000/',
    at: Date.parse(alert.raisedAt),
  };
  it('names the county, scheme, site and its kind, value and limit, local time and the board link', () => {
    const m = buildMessage(input);
    expect(m.text).toContain('西吉县');
    expect(m.text).toContain('西吉县城乡供水一体化工程');
    expect(m.text).toContain('一号水厂（水厂出水）');
    expect(m.text).toContain('浑浊度 1.8 NTU，限值 1 NTU');
    expect(m.text).toContain('2026-12-07 22:03');
    expect(m.link).toBe('http://127.0.0.1:3000/alerts#alert=a-1');
    expect([...m.sms].length).toBeLessThanOrEqual(SMS_SEGMENT_CHARS);
    expect(m.sms).toContain('西吉县');
  });
  it('keeps SMS within one segment even with long names', () => {
    const long = buildMessage({
      ...input,
      place: { ...input.place, siteName: '某某乡某某村某某组二级加压泵站出水口管网监测点位' },
    });
    expect([...long.sms].length).toBeLessThanOrEqual(SMS_SEGMENT_CHARS);
  });
  it('writes times in the region zone and falls back to Asia/Shanghai for an unknown zone', () => {
    expect(localTime(Date.parse('2026-12-07T14:03:00Z'), 'Asia/Urumqi')).toBe('2026-12-07 20:03');
    expect(localTime(Date.parse('2026-12-07T14:03:00Z'), 'Not/AZone')).toBe('2026-12-07 22:03');
  });
});

describe('maintenance marking', () => {
  it('marks only raised events of covered alerts as suppressed', () => {
    const other = { ...alert, id: 'a-2', siteId: 'xiji-s1-p1' };
    const covered = (a: Alert) => a.siteId === 'xiji-s1-plant';
    const out = markSuppressed(
      [
        { type: 'raised', at: alert.raisedAt, alert },
        { type: 'raised', at: other.raisedAt, alert: other },
        { type: 'cleared', at: alert.raisedAt, alert },
      ],
      covered,
    );
    expect(out.map((e) => [e.type, e.alert.id, e.alert.suppressed === true])).toEqual([
      ['raised', 'a-1', true],
      ['raised', 'a-2', false],
      ['cleared', 'a-1', false],
    ]);
  });
});

describe('alert state', () => {
  it('ignores notification events and only sets the flag for a suppressed event', () => {
    const acked = { ...alert, acknowledged: true, acknowledgedBy: 'ops' };
    const stale = { ...alert, value: 99 };
    expect(applyAlertEvent(acked, { type: 'notified', at: alert.raisedAt, alert: stale })).toBe(acked);
    expect(applyAlertEvent(acked, { type: 'suppressed', at: alert.raisedAt, alert: stale })).toEqual({
      ...acked,
      suppressed: true,
    });
  });
});
