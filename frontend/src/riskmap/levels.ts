// The four-colour levels of the risk map (compliance/rules/colours.py): 重大 红 #FF0000, 较大 橙 #FFA500,
// 一般 黄 #FFFF00, 低 蓝 #0000FF; a zone without an assessed point is grey (未评估). The API sends each
// zone's colour; these give the legend and the preview while the user assigns points before saving.

export interface LevelColour {
  level: string
  label: string
  colour: string
  colourLabel: string
  hex: string
}

/** Most severe first (national code 1 → 4), then 未评估. */
export const LEVELS: readonly LevelColour[] = [
  { level: 'major', label: '重大风险', colour: 'red', colourLabel: '红', hex: '#FF0000' },
  { level: 'high', label: '较大风险', colour: 'orange', colourLabel: '橙', hex: '#FFA500' },
  { level: 'moderate', label: '一般风险', colour: 'yellow', colourLabel: '黄', hex: '#FFFF00' },
  { level: 'low', label: '低风险', colour: 'blue', colourLabel: '蓝', hex: '#0000FF' },
]
export const UNASSESSED: LevelColour = { level: '', label: '未评估', colour: 'grey', colourLabel: '未评估', hex: '#9E9E9E' }

/** The colour of a level value ('major' → 红 #FF0000); empty or unknown → 未评估 grey. */
export function levelColour(level: string | null | undefined): LevelColour {
  return LEVELS.find((l) => l.level === level) ?? UNASSESSED
}

/** The most severe of `levels` ('' when none is assessed) — a zone takes the highest level of its points. */
export function highestLevel(levels: readonly (string | null | undefined)[]): string {
  return LEVELS.find((l) => levels.includes(l.level))?.level ?? ''
}
