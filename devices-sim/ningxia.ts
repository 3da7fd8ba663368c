/** Ningxia's prefectures and counties with the synthetic weights the demo registry generator uses. */

export interface PrefectureRow {
  id: string;
  name: string;
}

export interface CountyRow {
  id: string;
  name: string;
  prefecture: string;
  /** Relative rural population (roughly thousands of people); scaled so the region totals ~2.5 M. */
  rural: number;
  /** Integrated (城乡供水一体化) schemes: 1–3, more where the rural population is large. */
  integrated: number;
  /** Small remote schemes: most in the dry southern mountains, few in the irrigated north. */
  small: number;
}

/** Rural population of the whole region, modelled on Ningxia's public figures. */
export const RURAL_POPULATION = 2_500_000;

export const PREFECTURES: readonly PrefectureRow[] = [
  { id: 'yinchuan', name: 'Yinchuan (银川市)' },
  { id: 'shizuishan', name: 'Shizuishan (石嘴山市)' },
  { id: 'wuzhong', name: 'Wuzhong (吴忠市)' },
  { id: 'guyuan', name: 'Guyuan (固原市)' },
  { id: 'zhongwei', name: 'Zhongwei (中卫市)' },
];

// Urban districts (Xingqing, Jinfeng, Dawukou) have few rural people; the southern mountain
// counties (Xiji, Haiyuan, Tongxin, Yuanzhou, Pengyang) have the most and the most small schemes.
export const COUNTIES: readonly CountyRow[] = [
  { id: 'xingqing', name: 'Xingqing (兴庆区)', prefecture: 'yinchuan', rural: 25, integrated: 1, small: 2 },
  { id: 'jinfeng', name: 'Jinfeng (金凤区)', prefecture: 'yinchuan', rural: 20, integrated: 1, small: 2 },
  { id: 'xixia', name: 'Xixia (西夏区)', prefecture: 'yinchuan', rural: 30, integrated: 1, small: 4 },
  { id: 'yongning', name: 'Yongning (永宁县)', prefecture: 'yinchuan', rural: 130, integrated: 2, small: 10 },
  { id: 'helan', name: 'Helan (贺兰县)', prefecture: 'yinchuan', rural: 110, integrated: 2, small: 8 },
  { id: 'lingwu', name: 'Lingwu (灵武市)', prefecture: 'yinchuan', rural: 120, integrated: 2, small: 14 },
  { id: 'dawukou', name: 'Dawukou (大武口区)', prefecture: 'shizuishan', rural: 15, integrated: 1, small: 2 },
  { id: 'huinong', name: 'Huinong (惠农区)', prefecture: 'shizuishan', rural: 60, integrated: 1, small: 6 },
  { id: 'pingluo', name: 'Pingluo (平罗县)', prefecture: 'shizuishan', rural: 130, integrated: 2, small: 10 },
  { id: 'litong', name: 'Litong (利通区)', prefecture: 'wuzhong', rural: 150, integrated: 2, small: 12 },
  {
    id: 'hongsibu',
    name: 'Hongsibu (红寺堡区)',
    prefecture: 'wuzhong',
    rural: 120,
    integrated: 2,
    small: 16,
  },
  {
    id: 'qingtongxia',
    name: 'Qingtongxia (青铜峡市)',
    prefecture: 'wuzhong',
    rural: 140,
    integrated: 2,
    small: 10,
  },
  { id: 'yanchi', name: 'Yanchi (盐池县)', prefecture: 'wuzhong', rural: 100, integrated: 1, small: 30 },
  { id: 'tongxin', name: 'Tongxin (同心县)', prefecture: 'wuzhong', rural: 250, integrated: 3, small: 40 },
  { id: 'yuanzhou', name: 'Yuanzhou (原州区)', prefecture: 'guyuan', rural: 220, integrated: 3, small: 36 },
  { id: 'xiji', name: 'Xiji (西吉县)', prefecture: 'guyuan', rural: 330, integrated: 3, small: 56 },
  { id: 'longde', name: 'Longde (隆德县)', prefecture: 'guyuan', rural: 110, integrated: 2, small: 24 },
  { id: 'jingyuan', name: 'Jingyuan (泾源县)', prefecture: 'guyuan', rural: 80, integrated: 1, small: 18 },
  { id: 'pengyang', name: 'Pengyang (彭阳县)', prefecture: 'guyuan', rural: 170, integrated: 2, small: 34 },
  {
    id: 'shapotou',
    name: 'Shapotou (沙坡头区)',
    prefecture: 'zhongwei',
    rural: 140,
    integrated: 2,
    small: 14,
  },
  {
    id: 'zhongning',
    name: 'Zhongning (中宁县)',
    prefecture: 'zhongwei',
    rural: 150,
    integrated: 2,
    small: 14,
  },
  { id: 'haiyuan', name: 'Haiyuan (海原县)', prefecture: 'zhongwei', rural: 280, integrated: 3, small: 50 },
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
