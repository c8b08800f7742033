// The map layer of 特殊作业监管 (issue 16 §4 "a map layer of where they are"): one scatter point per live
// permit of GET /audit/permits/live/ that has coordinates (the place's, else the enterprise's), coloured by
// the permit's level, most severe red. Levels (GB 30871-2022): 动火 特级 > 一级 > 二级 (5.1); 高处 Ⅳ级 > Ⅲ > Ⅱ > Ⅰ
// (by height, 9.1); 吊装 一级 > 二级 > 三级 (by load, 8.1).
import type { ScatterPoint } from '@/regulator/map'

export const PERMIT_LEVEL_HEX: Readonly<Record<string, string>> = {
  special: '#FF0000', IV: '#FF0000',
  first: '#FFA500', III: '#FFA500',
  second: '#E6C200', II: '#E6C200',
  third: '#0000FF', I: '#0000FF',
}
export const PERMIT_NO_LEVEL_HEX = '#9E9E9E'

export interface LivePermitLike {
  id: number
  permit_no: string
  level: string
  coordinates: number[] | null
}

/** Scatter points (lon, lat) of the permits with coordinates; permits without are left out (listed on the board). */
export function permitPoints(live: readonly LivePermitLike[]): ScatterPoint[] {
  return live.filter((p) => p.coordinates && p.coordinates.length === 2).map((p) => ({
    name: p.permit_no,
    value: [p.coordinates![0], p.coordinates![1]] as [number, number],
    id: p.id,
    symbolSize: 14,
    itemStyle: { color: PERMIT_LEVEL_HEX[p.level] ?? PERMIT_NO_LEVEL_HEX, borderColor: '#333', borderWidth: 1 },
  }))
}
