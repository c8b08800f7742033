// Where a user lands, and when the phone pages are offered (new-user test: an employee on a phone landed on
// the desktop 工作台). Pure functions; the auth store and the router guard call them.

/** Below this viewport width (CSS px) the screen is a phone: the desktop console offers the phone pages. */
export const NARROW_MAX = 768

/** The phone home: 随手拍 (with 巡检 in its tab bar). */
export const PHONE_HOME = '/m/report'

export function isNarrow(width: number): boolean {
  return width < NARROW_MAX
}

/** The page after login: regulators their console, employees (职工) the phone pages, managers the desktop 工作台. */
export function homeFor(user: { isRegulator: boolean; role: string }): string {
  if (user.isRegulator) return '/r/'
  return user.role === 'employee' ? PHONE_HOME : '/e/'
}

/**
 * The redirect of a first page load (a bookmark, the site root, a typed URL, the page after login) of the enterprise 工作台 `/e/`
 * on a narrow screen by an employee: the phone home; null otherwise (managers keep the desktop console,
 * which offers the phone pages in a banner; a tap on the phone tab bar's 工作台 is not a first load).
 */
export function phoneRedirect(to: { path: string }, opts: { initial: boolean; width: number; isRegulator: boolean; role: string }): string | null {
  if (!opts.initial || opts.isRegulator || opts.role !== 'employee' || !isNarrow(opts.width)) return null
  return to.path === '/e/' || to.path === '/e' ? PHONE_HOME : null
}
