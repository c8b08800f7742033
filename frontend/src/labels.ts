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
