/** Headings of the monthly report in Chinese (default) and English; one table, so both layouts say the same. */
import type { IndicatorName } from '../coverage/indicator.js';

export type ReportLang = 'zh' | 'en';

export const INDICATOR_LABELS: Record<IndicatorName, Record<ReportLang, string>> = {
  tapWaterRate: { zh: '农村自来水普及率', en: 'Tap water rate' },
  scaleCoverage: { zh: '规模化供水工程覆盖农村人口比例', en: 'Scale-scheme coverage' },
  integrationRate: { zh: '城乡供水一体化率', en: 'Urban-rural integration rate' },
  qualityCompliance: { zh: '水质达标率（在线监测）', en: 'Quality compliance (online)' },
  labCompliance: { zh: '水质达标率（实验室检测）', en: 'Quality compliance (laboratory)' },
  monitoringOnline: { zh: '监测设备在线率', en: 'Devices online' },
  safeWaterCoverage: { zh: '安全饮水覆盖率', en: 'Safe water coverage' },
  standardizedCountyShare: { zh: '达标县区比例', en: 'Standardized county share' },
};

export const LABELS = {
  title: { zh: '农村供水月报', en: 'Rural water supply monthly report' },
  period: { zh: '统计期', en: 'Period' },
  window: { zh: '统计区间', en: 'Window' },
  timeZone: { zh: '时区', en: 'Time zone' },
  ruralPopulation: { zh: '农村人口', en: 'Rural population' },
  sheetSummary: { zh: '概况', en: 'Summary' },
  sheetSchemes: { zh: '工程水质', en: 'Schemes' },
  sheetAlerts: { zh: '告警', en: 'Alerts' },
  sheetActions: { zh: '处置记录', en: 'Actions' },
  indicator: { zh: '指标', en: 'Indicator' },
  value: { zh: '数值', en: 'Value' },
  numerator: { zh: '分子', en: 'Numerator' },
  denominator: { zh: '分母', en: 'Denominator' },
  target: { zh: '目标', en: 'Target' },
  gap: { zh: '差距', en: 'Gap' },
  meets: { zh: '是否达标', en: 'Meets target' },
  yes: { zh: '是', en: 'yes' },
  no: { zh: '否', en: 'no' },
  noData: { zh: '无数据', en: 'no data' },
  scheme: { zh: '供水工程', en: 'Scheme' },
  schemeId: { zh: '工程编号', en: 'Scheme id' },
  county: { zh: '县区', en: 'County' },
  labSamples: { zh: '化验样品数', en: 'Lab samples' },
  onlineSamples: { zh: '在线样品数', en: 'Online samples' },
  failed: { zh: '未达标', en: 'Failed' },
  rule: { zh: '规则', en: 'Rule' },
  raised: { zh: '告警数', en: 'Raised' },
  acknowledged: { zh: '已确认', en: 'Acknowledged' },
  cleared: { zh: '已解除', en: 'Cleared' },
  medianAck: { zh: '确认用时中位数（分钟）', en: 'Median minutes to acknowledge' },
  medianClear: { zh: '解除用时中位数（分钟）', en: 'Median minutes to clear' },
  alert: { zh: '告警编号', en: 'Alert' },
  raisedAt: { zh: '发生时间（当地）', en: 'Raised at (local time)' },
  by: { zh: '确认人', en: 'Acknowledged by' },
  note: { zh: '处置说明', en: 'What was done' },
  none: { zh: '无', en: 'none' },
} satisfies Record<string, Record<ReportLang, string>>;

export type LabelKey = keyof typeof LABELS;
export const label = (k: LabelKey, lang: ReportLang): string => LABELS[k][lang];
