// The permit board (issue 15 §7): permits whose planned window overlaps today or this week (Asia/Shanghai),
// grouped by state, each placed on a timeline of that period; and the gas-test clock (GB 30871-2022 §4.8:
// work starts within 30 min of the analysis).

const DAY_MS = 86_400_000
const SHANGHAI_OFFSET_MS = 8 * 3_600_000

export interface Period {
  start: number // ms since epoch
  end: number
}

/** Today (00:00–24:00 Asia/Shanghai) around `now`. */
export function todayPeriod(now: Date = new Date()): Period {
  const local = now.getTime() + SHANGHAI_OFFSET_MS
  const start = local - (local % DAY_MS) - SHANGHAI_OFFSET_MS
  return { start, end: start + DAY_MS }
}

/** This week, Monday 00:00 to next Monday 00:00 Asia/Shanghai. */
export function weekPeriod(now: Date = new Date()): Period {
  const today = todayPeriod(now)
  const weekday = (new Date(today.start + SHANGHAI_OFFSET_MS).getUTCDay() + 6) % 7 // Monday = 0
  const start = today.start - weekday * DAY_MS
  return { start, end: start + 7 * DAY_MS }
}

export interface Windowed {
  planned_start: string
  planned_end: string
  state: string
}

export function overlaps(p: Windowed, period: Period): boolean {
  return Date.parse(p.planned_start) < period.end && Date.parse(p.planned_end) > period.start
}

/** The bar of a permit on the period's timeline, in percent (clipped to the period). */
export function timelineBar(p: Windowed, period: Period): { left: number; width: number } {
  const span = period.end - period.start
  const s = Math.max(Date.parse(p.planned_start), period.start)
  const e = Math.min(Date.parse(p.planned_end), period.end)
  return { left: ((s - period.start) / span) * 100, width: Math.max(((e - s) / span) * 100, 0.5) }
}

/** The board's columns, in the life-cycle order. */
export const BOARD_STATES = ['draft', 'submitted', 'approved', 'in_progress', 'suspended', 'completed', 'accepted'] as const

export function byState<T extends Windowed>(permits: readonly T[], period: Period): Record<string, T[]> {
  const out: Record<string, T[]> = Object.fromEntries(BOARD_STATES.map((s) => [s, [] as T[]]))
  for (const p of permits) if (overlaps(p, period) && out[p.state]) out[p.state].push(p)
  return out
}

/** Minutes the latest gas analysis stays valid for a start (30 − age; negative: stale); null without one. */
export const GAS_FRESH_MINUTES = 30
export function gasMinutesLeft(sampledAt: readonly string[], now: Date = new Date()): number | null {
  if (!sampledAt.length) return null
  const latest = Math.max(...sampledAt.map((s) => Date.parse(s)))
  return Math.floor(GAS_FRESH_MINUTES - (now.getTime() - latest) / 60_000)
}
