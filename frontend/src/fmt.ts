// Dates and times shown in Asia/Shanghai, whatever the browser's zone (CONSOLE.md).
const ZONE = 'Asia/Shanghai'

const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
})
const dateOnly = new Intl.DateTimeFormat('zh-CN', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })

function parts(f: Intl.DateTimeFormat, d: Date): Record<string, string> {
  return Object.fromEntries(f.formatToParts(d).map((p) => [p.type, p.value]))
}

/** "2026-12-02 09:30" in Asia/Shanghai; '' for null/empty/invalid. */
export function fmtDateTime(value: string | Date | null | undefined): string {
  if (!value) return ''
  const d = value instanceof Date ? value : new Date(value)
  if (Number.isNaN(d.getTime())) return ''
  const p = parts(dateTime, d)
  return `${p.year}-${p.month}-${p.day} ${p.hour === '24' ? '00' : p.hour}:${p.minute}`
}

/** "2026-12-02" in Asia/Shanghai; a bare date string ("2026-12-02") is returned as is. */
export function fmtDate(value: string | Date | null | undefined): string {
  if (!value) return ''
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value
  const d = value instanceof Date ? value : new Date(value)
  if (Number.isNaN(d.getTime())) return ''
  const p = parts(dateOnly, d)
  return `${p.year}-${p.month}-${p.day}`
}

/** Today's date in Asia/Shanghai as YYYY-MM-DD. */
export function todayShanghai(now: Date = new Date()): string {
  return fmtDate(now)
}
