/**
 * The GB 5749-2022 limits a laboratory sample is judged against: pure data, every limit cited by table
 * and row. Units are the standard's. "Not detectable" (不应检出) and "none" (无异臭、异味 / 无) are a
 * reported value of 0: a lab reports a positive count or a 1 for "present".
 *
 * Verification: the values and row numbers follow the 2022 text (表1 rows: 微生物 1-3, 毒理 4-21,
 * 感官性状和一般化学 22-37, 放射性 38-39; 表2: 消毒剂). They could not be checked against the
 * published text while this table was written (only the 2006 edition, which has the same limits for
 * these rows except nitrate 20 → 10 mg/L, was at hand); each is cited so a reviewer can check it.
 */

export type LimitGroup = 'microbiological' | 'toxicological' | 'general' | 'disinfectant';

/** How a value is judged: at most `max`, at least `min`, both, or absent (0 = not detected / none). */
export type Limit =
  | { kind: 'max'; max: number }
  | { kind: 'min'; min: number }
  | { kind: 'range'; min: number; max: number }
  | { kind: 'absent' };

export interface LabIndicator {
  /** Used in rule ids (`lab-<id>`), CSV headers and the API. */
  id: string;
  nameZh: string;
  nameEn: string;
  unit: string;
  group: LimitGroup;
  limit: Limit;
  /** Table and row of GB 5749-2022 the limit stands in. */
  cite: string;
  /** The limit a small centralised supply (小型集中式供水) may use instead, with the clause allowing it. */
  small?: { limit: Limit; cite: string };
  /** Free chlorine differs at the plant outlet (出厂水) and in the network and at taps (末梢水). */
  atPlant?: { limit: Limit; cite: string };
}

/**
 * GB 5749-2022 表1 注: 小型集中式供水和分散式供水因水源与净水技术受限时，菌落总数指标限值按
 * 500 MPN/mL 或 500 CFU/mL 执行，氟化物指标限值按 1.2 mg/L 执行，硝酸盐（以 N 计）指标限值按
 * 20 mg/L 执行，浑浊度指标限值按 3 NTU 执行. (GB 5749-2006 had the nitrate exception for
 * groundwater sources, "地下水源限制时为 20"; 2022 folds it into this note.)
 */
const SMALL_NOTE = 'GB 5749-2022 表1 注 (小型集中式供水和分散式供水)';

export const LAB_INDICATORS: readonly LabIndicator[] = [
  // 表1 微生物指标
  {
    id: 'total-coliforms',
    nameZh: '总大肠菌群',
    nameEn: 'Total coliforms',
    unit: 'MPN/100mL',
    group: 'microbiological',
    limit: { kind: 'absent' },
    cite: 'GB 5749-2022 表1 第1行: 不应检出',
  },
  {
    id: 'e-coli',
    nameZh: '大肠埃希氏菌',
    nameEn: 'E. coli',
    unit: 'MPN/100mL',
    group: 'microbiological',
    limit: { kind: 'absent' },
    cite: 'GB 5749-2022 表1 第2行: 不应检出',
  },
  {
    id: 'plate-count',
    nameZh: '菌落总数',
    nameEn: 'Total plate count',
    unit: 'CFU/mL',
    group: 'microbiological',
    limit: { kind: 'max', max: 100 },
    cite: 'GB 5749-2022 表1 第3行: 100 MPN/mL 或 CFU/mL',
    small: { limit: { kind: 'max', max: 500 }, cite: `${SMALL_NOTE}: 500 CFU/mL` },
  },
  // 表1 毒理指标
  {
    id: 'arsenic',
    nameZh: '砷',
    nameEn: 'Arsenic',
    unit: 'mg/L',
    group: 'toxicological',
    limit: { kind: 'max', max: 0.01 },
    cite: 'GB 5749-2022 表1 第4行: 0.01 mg/L',
  },
  {
    id: 'cadmium',
    nameZh: '镉',
    nameEn: 'Cadmium',
    unit: 'mg/L',
    group: 'toxicological',
    limit: { kind: 'max', max: 0.005 },
    cite: 'GB 5749-2022 表1 第5行: 0.005 mg/L',
  },
  {
    id: 'chromium-vi',
    nameZh: '铬（六价）',
    nameEn: 'Chromium (VI)',
    unit: 'mg/L',
    group: 'toxicological',
    limit: { kind: 'max', max: 0.05 },
    cite: 'GB 5749-2022 表1 第6行: 0.05 mg/L',
  },
  {
    id: 'lead',
    nameZh: '铅',
    nameEn: 'Lead',
    unit: 'mg/L',
    group: 'toxicological',
    limit: { kind: 'max', max: 0.01 },
    cite: 'GB 5749-2022 表1 第7行: 0.01 mg/L',
  },
  {
    id: 'mercury',
    nameZh: '汞',
    nameEn: 'Mercury',
    unit: 'mg/L',
    group: 'toxicological',
    limit: { kind: 'max', max: 0.001 },
    cite: 'GB 5749-2022 表1 第8行: 0.001 mg/L',
  },
  {
    id: 'cyanide',
    nameZh: '氰化物',
    nameEn: 'Cyanide',
    unit: 'mg/L',
    group: 'toxicological',
    limit: { kind: 'max', max: 0.05 },
    cite: 'GB 5749-2022 表1 第9行: 0.05 mg/L',
  },
  {
    id: 'fluoride',
    nameZh: '氟化物',
    nameEn: 'Fluoride',
    unit: 'mg/L',
    group: 'toxicological',
    limit: { kind: 'max', max: 1.0 },
    cite: 'GB 5749-2022 表1 第10行: 1.0 mg/L',
    small: { limit: { kind: 'max', max: 1.2 }, cite: `${SMALL_NOTE}: 1.2 mg/L` },
  },
  {
    id: 'nitrate',
    nameZh: '硝酸盐（以N计）',
    nameEn: 'Nitrate (as N)',
    unit: 'mg/L',
    group: 'toxicological',
    limit: { kind: 'max', max: 10 },
    cite: 'GB 5749-2022 表1 第11行: 10 mg/L',
    small: { limit: { kind: 'max', max: 20 }, cite: `${SMALL_NOTE}: 20 mg/L` },
  },
  // 表1 感官性状和一般化学指标
  {
    id: 'colour',
    nameZh: '色度',
    nameEn: 'Colour',
    unit: '铂钴色度单位',
    group: 'general',
    limit: { kind: 'max', max: 15 },
    cite: 'GB 5749-2022 表1 第22行: 15 度',
  },
  {
    id: 'turbidity',
    nameZh: '浑浊度',
    nameEn: 'Turbidity',
    unit: 'NTU',
    group: 'general',
    limit: { kind: 'max', max: 1 },
    cite: 'GB 5749-2022 表1 第23行: 1 NTU',
    small: { limit: { kind: 'max', max: 3 }, cite: `${SMALL_NOTE}: 3 NTU` },
  },
  {
    id: 'odour',
    nameZh: '臭和味',
    nameEn: 'Odour and taste',
    unit: '0 = 无, 1 = 有',
    group: 'general',
    limit: { kind: 'absent' },
    cite: 'GB 5749-2022 表1 第24行: 无异臭、异味',
  },
  {
    id: 'visible-matter',
    nameZh: '肉眼可见物',
    nameEn: 'Visible matter',
    unit: '0 = 无, 1 = 有',
    group: 'general',
    limit: { kind: 'absent' },
    cite: 'GB 5749-2022 表1 第25行: 无',
  },
  {
    id: 'ph',
    nameZh: 'pH',
    nameEn: 'pH',
    unit: 'pH',
    group: 'general',
    limit: { kind: 'range', min: 6.5, max: 8.5 },
    cite: 'GB 5749-2022 表1 第26行: 不小于 6.5 且不大于 8.5',
  },
  {
    id: 'aluminium',
    nameZh: '铝',
    nameEn: 'Aluminium',
    unit: 'mg/L',
    group: 'general',
    limit: { kind: 'max', max: 0.2 },
    cite: 'GB 5749-2022 表1 第27行: 0.2 mg/L',
  },
  {
    id: 'iron',
    nameZh: '铁',
    nameEn: 'Iron',
    unit: 'mg/L',
    group: 'general',
    limit: { kind: 'max', max: 0.3 },
    cite: 'GB 5749-2022 表1 第28行: 0.3 mg/L',
  },
  {
    id: 'manganese',
    nameZh: '锰',
    nameEn: 'Manganese',
    unit: 'mg/L',
    group: 'general',
    limit: { kind: 'max', max: 0.1 },
    cite: 'GB 5749-2022 表1 第29行: 0.1 mg/L',
  },
  {
    id: 'chloride',
    nameZh: '氯化物',
    nameEn: 'Chloride',
    unit: 'mg/L',
    group: 'general',
    limit: { kind: 'max', max: 250 },
    cite: 'GB 5749-2022 表1 第32行: 250 mg/L',
  },
  {
    id: 'sulfate',
    nameZh: '硫酸盐',
    nameEn: 'Sulfate',
    unit: 'mg/L',
    group: 'general',
    limit: { kind: 'max', max: 250 },
    cite: 'GB 5749-2022 表1 第33行: 250 mg/L',
  },
  {
    id: 'tds',
    nameZh: '溶解性总固体',
    nameEn: 'Total dissolved solids',
    unit: 'mg/L',
    group: 'general',
    limit: { kind: 'max', max: 1000 },
    cite: 'GB 5749-2022 表1 第34行: 1000 mg/L',
  },
  {
    id: 'hardness',
    nameZh: '总硬度（以CaCO3计）',
    nameEn: 'Total hardness (as CaCO3)',
    unit: 'mg/L',
    group: 'general',
    limit: { kind: 'max', max: 450 },
    cite: 'GB 5749-2022 表1 第35行: 450 mg/L',
  },
  {
    id: 'permanganate-index',
    nameZh: '高锰酸盐指数（以O2计）',
    nameEn: 'Permanganate index (as O2)',
    unit: 'mg/L',
    group: 'general',
    limit: { kind: 'max', max: 3 },
    cite: 'GB 5749-2022 表1 第36行: 3 mg/L',
  },
  {
    id: 'ammonia',
    nameZh: '氨（以N计）',
    nameEn: 'Ammonia (as N)',
    unit: 'mg/L',
    group: 'general',
    limit: { kind: 'max', max: 0.5 },
    cite: 'GB 5749-2022 表1 第37行: 0.5 mg/L',
  },
  // 表2 生活饮用水消毒剂常规指标及要求: 游离氯 (free chlorine, contact time ≥ 30 min)
  {
    id: 'chlorine',
    nameZh: '游离氯',
    nameEn: 'Free chlorine',
    unit: 'mg/L',
    group: 'disinfectant',
    limit: { kind: 'range', min: 0.05, max: 2 },
    cite: 'GB 5749-2022 表2 第1行: 末梢水余量 ≥ 0.05 mg/L, 限值 ≤ 2 mg/L',
    atPlant: {
      limit: { kind: 'range', min: 0.3, max: 2 },
      cite: 'GB 5749-2022 表2 第1行: 出厂水余量 ≥ 0.3 mg/L, 限值 ≤ 2 mg/L',
    },
  },
];

export const LAB_INDICATOR_IDS = LAB_INDICATORS.map((i) => i.id);

const BY_ID = new Map(LAB_INDICATORS.map((i) => [i.id, i]));
export const labIndicator = (id: string): LabIndicator | undefined => BY_ID.get(id);
