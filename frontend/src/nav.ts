// The side menus of the desktop consoles and the tab bar of the phone pages.
export interface NavItem {
  path: string
  title: string
}

export const ENTERPRISE_NAV: NavItem[] = [
  { path: '/e/', title: '工作台' },
  { path: '/e/risk', title: '风险分级管控' },
  { path: '/e/risk-map', title: '四色风险分布图' },
  { path: '/e/hazards', title: '隐患排查治理' },
  { path: '/e/permits', title: '特殊作业' },
  { path: '/e/tasks', title: '排查任务' },
  { path: '/e/notifications', title: '通知' },
  { path: '/e/reports', title: '双报告' },
  { path: '/e/org', title: '企业信息与成员' },
]

export const REGULATOR_NAV: NavItem[] = [
  { path: '/r/', title: '辖区风险地图' },
  { path: '/r/overview', title: '辖区概况' },
  { path: '/r/enterprises', title: '企业' },
  { path: '/r/permits', title: '特殊作业监管' },
  { path: '/r/inspections', title: '执法检查' },
  { path: '/r/draws', title: '双随机抽查' },
  { path: '/r/whistle', title: '举报处理' },
  { path: '/r/reports', title: '双报告' },
]

export const PHONE_NAV: NavItem[] = [
  { path: '/m/report', title: '随手拍' },
  { path: '/m/tasks', title: '巡检' },
  { path: '/e/', title: '工作台' },
]

/** The menu entry a path belongs to (the longest matching prefix; '/e/' only for itself). */
export function activeNav(items: NavItem[], path: string): string {
  const norm = path.endsWith('/') ? path : path + '/'
  let best = ''
  for (const item of items) {
    const p = item.path.endsWith('/') ? item.path : item.path + '/'
    const isRoot = p.split('/').filter(Boolean).length === 1
    if (isRoot ? norm === p : norm.startsWith(p)) if (p.length > best.length) best = item.path
  }
  return best
}
