/** The words of a notification, in Chinese: county, scheme, site and kind, value and limit, local time, link. */
import type { Alert } from '../alert.js';
import { METRICS, type Metric } from '../metrics.js';
import type { SiteKind } from '../registry-schema.js';
import type { StepKind } from './schedule.js';

export const SITE_KIND_ZH: Record<SiteKind, string> = {
  source: '水源',
  plant: '水厂出水',
  reservoir: '清水池',
  pipe: '管网',
  tap: '末梢水',
};

const METRIC_ZH: Record<Metric, string> = {
  turbidity: '浑浊度',
  chlorine: '游离氯',
  ph: 'pH',
  conductivity: '电导率',
  temperature: '水温',
  flow: '流量',
  pressure: '压力',
  level: '液位',
};

const RULE_ZH: Record<string, string> = {
  stale: '设备无数据',
  flatline: '传感器数值不变',
  'pressure-drop': '压力骤降（疑似爆管）',
};

const LEVEL_ZH = ['县级', '市级', '区级'] as const;

/** What the message needs to know about the alert's place, by name. */
export interface MessagePlace {
  countyName: string;
  schemeName: string;
  siteName: string;
  siteKind?: SiteKind;
}

export interface MessageInput {
  alert: Alert;
  place: MessagePlace;
  kind: StepKind | 'recovery';
  /** Repeat count or escalation level (1 prefecture, 2 region). */
  n: number;
  /** IANA zone of the region (`region.timeZone`, default Asia/Shanghai; CONTRACT §6). */
  timeZone: string;
  /** The board's base URL; the link opens the alert's detail. */
  boardUrl: string;
  /** When the message is about: raise time, or the clear time for a recovery. */
  at: number;
}

export interface Message {
  title: string;
  /** Plain text, several lines: robots' text messages, e-mail, webhooks. */
  text: string;
  /** The same as Markdown (WeCom and DingTalk markdown). */
  markdown: string;
  /** One SMS segment where it can: 70 characters for UCS-2 text (3GPP TS 23.038 / 23.040). */
  sms: string;
  link: string;
}

/** 3GPP TS 23.040: one UCS-2 segment holds 140 octets, 70 characters; Chinese text always uses UCS-2. */
export const SMS_SEGMENT_CHARS = 70;

/** "2026-12-07 22:03" in the region's zone; a bad zone name falls back to Asia/Shanghai. */
export function localTime(ms: number, timeZone: string): string {
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
  } catch {
    return localTime(ms, 'Asia/Shanghai');
  }
  const p = Object.fromEntries(fmt.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

function num(v: number): string {
  return String(Number(v.toPrecision(6)));
}

function amount(metric: string | undefined, v: number): string {
  const m = metric ? METRICS[metric as Metric] : undefined;
  return m && m.unit !== 'pH' ? `${num(v)} ${m.unit}` : num(v);
}

/** "浑浊度 1.8 NTU，限值 1 NTU" or the rule's own words for stale, flatline and bursts. */
export function whatHappened(alert: Alert): string {
  const metric = alert.metric ? (METRIC_ZH[alert.metric as Metric] ?? alert.metric) : undefined;
  const rule = RULE_ZH[alert.ruleId];
  const parts: string[] = [];
  if (rule) parts.push(rule);
  if (metric && alert.value !== undefined) {
    const limit = alert.limit !== undefined ? `，限值 ${amount(alert.metric, alert.limit)}` : '';
    parts.push(`${metric} ${amount(alert.metric, alert.value)}${limit}`);
  } else if (metric && !rule) parts.push(metric);
  return parts.join('：') || alert.message;
}

function headline(i: MessageInput): string {
  const sev = i.alert.severity === 'critical' ? '严重' : '警告';
  if (i.kind === 'recovery') return '【恢复】';
  if (i.kind === 'escalate') return `【${sev}·升级至${LEVEL_ZH[i.n] ?? '上级'}】`;
  if (i.kind === 'repeat') return `【${sev}·第${i.n + 1}次提醒】`;
  return `【${sev}】`;
}

export function buildMessage(i: MessageInput): Message {
  const { alert, place } = i;
  const kindZh = place.siteKind ? SITE_KIND_ZH[place.siteKind] : '';
  const site = kindZh ? `${place.siteName}（${kindZh}）` : place.siteName;
  const what = whatHappened(alert);
  const time = localTime(i.at, i.timeZone);
  const link = `${i.boardUrl.replace(/\/+$/, '')}/alerts#alert=${encodeURIComponent(alert.id)}`;
  const head = headline(i);
  const status = i.kind === 'recovery' ? '已恢复正常' : alert.acknowledged ? '已确认' : '未确认';
  const title = `${head}${place.countyName} ${place.schemeName} ${what}`;
  const lines = [
    `${head}${place.countyName} 供水告警`,
    `工程：${place.schemeName}`,
    `站点：${site}`,
    `情况：${what}`,
    `${i.kind === 'recovery' ? '恢复时间' : '时间'}：${time}`,
    `状态：${status}`,
    `查看：${link}`,
  ];
  const markdown = [
    `**${head}${place.countyName} 供水告警**`,
    '',
    `- 工程：${place.schemeName}`,
    `- 站点：${site}`,
    `- 情况：${what}`,
    `- ${i.kind === 'recovery' ? '恢复时间' : '时间'}：${time}`,
    `- 状态：${status}`,
    '',
    `[在看板上查看](${link})`,
  ].join('\n');
  return { title, text: lines.join('\n'), markdown, sms: smsText(i, head, what, time, link), link };
}

/**
 * The short form: the county and the site are what a duty operator needs to decide whether to drive out;
 * the scheme and the link go when they do not fit, and the site name is shortened last.
 */
function smsText(i: MessageInput, head: string, what: string, time: string, link: string): string {
  const hhmm = time.slice(5); // "12-07 22:03"
  const kindZh = i.place.siteKind ? SITE_KIND_ZH[i.place.siteKind] : '';
  const tail = i.kind === 'recovery' ? '已恢复' : '';
  const make = (site: string, scheme: boolean) =>
    `${head}${i.place.countyName}${scheme ? ` ${i.place.schemeName}` : ''} ${site}${kindZh} ${what} ${hhmm}${tail}`;
  const fits = (s: string) => [...s].length <= SMS_SEGMENT_CHARS;
  for (const candidate of [
    `${make(i.place.siteName, true)} ${link}`,
    `${make(i.place.siteName, false)} ${link}`,
    make(i.place.siteName, true),
    make(i.place.siteName, false),
  ])
    if (fits(candidate)) return candidate;
  // Still too long: shorten the site name, then give up on one segment (the gateway splits it).
  const bare = make('', false);
  const room = SMS_SEGMENT_CHARS - [...bare].length;
  if (room >= 4) return make(`${[...i.place.siteName].slice(0, room - 1).join('')}…`, false);
  return bare;
}
