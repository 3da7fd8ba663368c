/** Ningxia's prefectures and counties, in Chinese with English names, and the synthetic figures the demo registry generator uses. */

export interface PrefectureRow {
  id: string;
  /** Chinese, as pages and reports show it; `nameEn` for the English pages. */
  name: string;
  nameEn: string;
}

export interface CountyRow {
  id: string;
  name: string;
  nameEn: string;
  prefecture: string;
  /**
   * Relative size that lays out the county's villages, schemes and devices (kept as first generated, so
   * device ids stay stable); `people` then sets the actual rural population.
   */
  rural: number;
  /**
   * Rural population of the county: synthetic figures of the right order for each county (urban districts
   * small, the southern mountain counties large), each with its own natural variation.
   */
  people: number;
  /** Integrated (城乡供水一体化) schemes: 1–3, more where the rural population is large. */
  integrated: number;
  /** Small remote schemes: most in the dry southern mountains, few in the irrigated north. */
  small: number;
}

/** Rural population the layout pass spreads over the counties by `rural` (about Ningxia's order of magnitude). */
export const RURAL_POPULATION = 2_500_000;

export const PREFECTURES: readonly PrefectureRow[] = [
  { id: 'yinchuan', name: '银川市', nameEn: 'Yinchuan' },
  { id: 'shizuishan', name: '石嘴山市', nameEn: 'Shizuishan' },
  { id: 'wuzhong', name: '吴忠市', nameEn: 'Wuzhong' },
  { id: 'guyuan', name: '固原市', nameEn: 'Guyuan' },
  { id: 'zhongwei', name: '中卫市', nameEn: 'Zhongwei' },
];

// Urban districts (Xingqing, Jinfeng, Dawukou) have few rural people; the southern mountain
// counties (Xiji, Haiyuan, Tongxin, Yuanzhou, Pengyang) have the most and the most small schemes.
export const COUNTIES: readonly CountyRow[] = [
  {
    id: 'xingqing',
    name: '兴庆区',
    nameEn: 'Xingqing',
    prefecture: 'yinchuan',
    rural: 25,
    people: 21359,
    integrated: 1,
    small: 2,
  },
  {
    id: 'jinfeng',
    name: '金凤区',
    nameEn: 'Jinfeng',
    prefecture: 'yinchuan',
    rural: 20,
    people: 17196,
    integrated: 1,
    small: 2,
  },
  {
    id: 'xixia',
    name: '西夏区',
    nameEn: 'Xixia',
    prefecture: 'yinchuan',
    rural: 30,
    people: 25047,
    integrated: 1,
    small: 4,
  },
  {
    id: 'yongning',
    name: '永宁县',
    nameEn: 'Yongning',
    prefecture: 'yinchuan',
    rural: 130,
    people: 108734,
    integrated: 2,
    small: 10,
  },
  {
    id: 'helan',
    name: '贺兰县',
    nameEn: 'Helan',
    prefecture: 'yinchuan',
    rural: 110,
    people: 91695,
    integrated: 2,
    small: 8,
  },
  {
    id: 'lingwu',
    name: '灵武市',
    nameEn: 'Lingwu',
    prefecture: 'yinchuan',
    rural: 120,
    people: 101492,
    integrated: 2,
    small: 14,
  },
  {
    id: 'dawukou',
    name: '大武口区',
    nameEn: 'Dawukou',
    prefecture: 'shizuishan',
    rural: 15,
    people: 12944,
    integrated: 1,
    small: 2,
  },
  {
    id: 'huinong',
    name: '惠农区',
    nameEn: 'Huinong',
    prefecture: 'shizuishan',
    rural: 60,
    people: 50875,
    integrated: 1,
    small: 6,
  },
  {
    id: 'pingluo',
    name: '平罗县',
    nameEn: 'Pingluo',
    prefecture: 'shizuishan',
    rural: 130,
    people: 112089,
    integrated: 2,
    small: 10,
  },
  {
    id: 'litong',
    name: '利通区',
    nameEn: 'Litong',
    prefecture: 'wuzhong',
    rural: 150,
    people: 125802,
    integrated: 2,
    small: 12,
  },
  {
    id: 'hongsibu',
    name: '红寺堡区',
    nameEn: 'Hongsibu',
    prefecture: 'wuzhong',
    rural: 120,
    people: 105400,
    integrated: 2,
    small: 16,
  },
  {
    id: 'qingtongxia',
    name: '青铜峡市',
    nameEn: 'Qingtongxia',
    prefecture: 'wuzhong',
    rural: 140,
    people: 126433,
    integrated: 2,
    small: 10,
  },
  {
    id: 'yanchi',
    name: '盐池县',
    nameEn: 'Yanchi',
    prefecture: 'wuzhong',
    rural: 100,
    people: 87473,
    integrated: 1,
    small: 30,
  },
  {
    id: 'tongxin',
    name: '同心县',
    nameEn: 'Tongxin',
    prefecture: 'wuzhong',
    rural: 250,
    people: 226315,
    integrated: 3,
    small: 40,
  },
  {
    id: 'yuanzhou',
    name: '原州区',
    nameEn: 'Yuanzhou',
    prefecture: 'guyuan',
    rural: 220,
    people: 191948,
    integrated: 3,
    small: 36,
  },
  {
    id: 'xiji',
    name: '西吉县',
    nameEn: 'Xiji',
    prefecture: 'guyuan',
    rural: 330,
    people: 281036,
    integrated: 3,
    small: 56,
  },
  {
    id: 'longde',
    name: '隆德县',
    nameEn: 'Longde',
    prefecture: 'guyuan',
    rural: 110,
    people: 95844,
    integrated: 2,
    small: 24,
  },
  {
    id: 'jingyuan',
    name: '泾源县',
    nameEn: 'Jingyuan',
    prefecture: 'guyuan',
    rural: 80,
    people: 68249,
    integrated: 1,
    small: 18,
  },
  {
    id: 'pengyang',
    name: '彭阳县',
    nameEn: 'Pengyang',
    prefecture: 'guyuan',
    rural: 170,
    people: 142306,
    integrated: 2,
    small: 34,
  },
  {
    id: 'shapotou',
    name: '沙坡头区',
    nameEn: 'Shapotou',
    prefecture: 'zhongwei',
    rural: 140,
    people: 123052,
    integrated: 2,
    small: 14,
  },
  {
    id: 'zhongning',
    name: '中宁县',
    nameEn: 'Zhongning',
    prefecture: 'zhongwei',
    rural: 150,
    people: 125491,
    integrated: 2,
    small: 14,
  },
  {
    id: 'haiyuan',
    name: '海原县',
    nameEn: 'Haiyuan',
    prefecture: 'zhongwei',
    rural: 280,
    people: 244472,
    integrated: 3,
    small: 50,
  },
];

/** The region's 2027 targets (Ningxia's "Internet + urban-rural water supply" plan), shared by the demo and test registries. */
export const NINGXIA_2027_TARGETS = {
  year: 2027,
  tapWaterRate: 0.98,
  scaleCoverage: 0.98,
  integrationRate: 0.98,
  qualityCompliance: 0.95,
  monitoringOnline: 0.9,
  safeWaterCoverage: 0.95,
  standardizedCountyShare: 0.8,
} as const;
