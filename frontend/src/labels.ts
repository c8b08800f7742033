// Chinese labels of the API's enum codes the console shows without a label from the API.
export const ROLE_LABELS: Record<string, string> = {
  admin: '管理员',
  principal: '主要负责人',
  safety_officer: '安全管理员',
  employee: '职工',
  inspector: '监管执法人员',
}

export const RISK_LEVEL_LABELS: Record<string, string> = {
  major: '重大风险',
  high: '较大风险',
  moderate: '一般风险',
  low: '低风险',
}

/** The standard four colours of risk levels (红/橙/黄/蓝). */
export const RISK_LEVEL_COLOURS: Record<string, string> = {
  major: '#e02020',
  high: '#f7931e',
  moderate: '#f5d90a',
  low: '#1f6fd1',
}

export function label(map: Record<string, string>, code: string | null | undefined): string {
  if (!code) return ''
  return map[code] ?? code
}

export const HAZARD_STATE_LABELS: Record<string, string> = {
  reported: '已上报', confirmed: '已确认', rectifying: '整改中', pending_acceptance: '待验收',
  accepted: '已验收', closed: '已销号', rejected: '已驳回',
}

export const HAZARD_SOURCE_LABELS: Record<string, string> = {
  daily: '日常排查', comprehensive: '综合性排查', specialist: '专业性排查', seasonal: '季节性排查',
  key_period: '重点时段及节假日前排查', accident_analogy: '事故类比排查', resumption: '复产复工前排查',
  outside_expert: '外聘专家诊断式排查', measure_failed: '管控措施失效', other: '其他', employee_report: '职工报告',
  inspector: '监管检查', whistleblower: '吹哨人举报',
}

export const HAZARD_TYPE_LABELS: Record<string, string> = {
  safety: '安全', process: '工艺', electrical: '电气', instrument: '仪表', fire: '消防', layout: '总图', equipment: '设备', other: '其他',
}

export const HAZARD_GRADE_LABELS: Record<string, string> = { general: '一般', major: '重大' }
export const HAZARD_TREATMENT_LABELS: Record<string, string> = { immediate: '即查即改', deadline: '限期整改' }
export const PHOTO_KIND_LABELS: Record<string, string> = { before: '整改前', after: '整改后' }

/** Element Plus tag type of a hazard state. */
export function hazardStateTag(state: string): 'primary' | 'success' | 'warning' | 'danger' | 'info' {
  if (state === 'reported') return 'danger'
  if (state === 'confirmed' || state === 'rectifying') return 'warning'
  if (state === 'pending_acceptance') return 'primary'
  if (state === 'accepted' || state === 'closed') return 'success'
  return 'info'
}

/** [{value, label}] of a label map, for selects. */
export function options(map: Record<string, string>): { value: string; label: string }[] {
  return Object.entries(map).map(([value, label]) => ({ value, label }))
}
