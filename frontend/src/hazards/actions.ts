// The hazard actions the console offers as forms: only those in the hazard's `allowed_actions` (the API
// decides who may do what), each posting its transition with the fields the API takes.
export type FieldKind = 'text' | 'textarea' | 'date' | 'select' | 'member' | 'number'

export interface ActionField {
  name: string
  label: string
  kind: FieldKind
  required?: boolean
  options?: { value: string; label: string }[]
}

export interface ActionForm {
  action: string
  label: string
  /** path under /api/v1/hazards/{id}/ */
  path: string
  fields: ActionField[]
  /** a destructive or closing step: the button is not the primary colour */
  plain?: boolean
}

const GRADE = [{ value: 'general', label: '一般隐患' }, { value: 'major', label: '重大隐患' }]
const TREATMENT = [{ value: 'deadline', label: '限期整改' }, { value: 'immediate', label: '即查即改' }]

export const ACTION_FORMS: Record<string, ActionForm> = {
  confirm: {
    action: 'confirm', label: '确认隐患', path: 'confirm/', fields: [
      { name: 'grade', label: '隐患等级', kind: 'select', options: GRADE },
      { name: 'treatment', label: '治理方式', kind: 'select', options: TREATMENT },
      { name: 'responsible_person', label: '整改责任人', kind: 'member' },
      { name: 'deadline', label: '整改期限', kind: 'date' },
      { name: 'measures', label: '整改措施', kind: 'textarea' },
    ],
  },
  reject: { action: 'reject', label: '驳回', path: 'reject/', plain: true, fields: [{ name: 'reason', label: '驳回理由', kind: 'textarea', required: true }] },
  plan: {
    action: 'plan', label: '整改方案（五落实）', path: 'plan/', plain: true, fields: [
      { name: 'measures', label: '整改措施', kind: 'textarea' },
      { name: 'responsible_person', label: '整改责任人', kind: 'member' },
      { name: 'funds_yuan', label: '整改资金（元）', kind: 'number' },
      { name: 'deadline', label: '整改期限', kind: 'date' },
      { name: 'contingency_plan', label: '应急预案/临时措施', kind: 'textarea' },
    ],
  },
  start_rectification: { action: 'start_rectification', label: '开始整改', path: 'start-rectification/', fields: [] },
  submit_for_acceptance: { action: 'submit_for_acceptance', label: '整改完成，提交验收', path: 'submit-for-acceptance/', fields: [{ name: 'comment', label: '整改说明', kind: 'textarea' }] },
  accept: { action: 'accept', label: '验收通过', path: 'accept/', fields: [{ name: 'comment', label: '验收意见', kind: 'textarea' }] },
  fail_acceptance: { action: 'fail_acceptance', label: '验收不通过', path: 'fail-acceptance/', plain: true, fields: [{ name: 'reason', label: '不通过原因', kind: 'textarea', required: true }] },
  close: { action: 'close', label: '销号', path: 'close/', fields: [{ name: 'comment', label: '销号说明', kind: 'textarea' }] },
  request_extension: {
    action: 'request_extension', label: '申请延期', path: 'request-extension/', plain: true, fields: [
      { name: 'new_deadline', label: '新的整改期限', kind: 'date', required: true },
      { name: 'reason', label: '延期理由', kind: 'textarea', required: true },
    ],
  },
}

/** The forms of the actions the API allows, in its order (actions without a form here are left out). */
export function formsFor(allowed: readonly string[]): ActionForm[] {
  return allowed.map((a) => ACTION_FORMS[a]).filter((f): f is ActionForm => !!f)
}

/** The request body of a form: empty optional values left out (the API keeps what it has). */
export function bodyOf(form: ActionForm, values: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {}
  for (const f of form.fields) {
    const v = values[f.name]
    if (v === '' || v === null || v === undefined) {
      if (f.required) body[f.name] = ''
      continue
    }
    body[f.name] = v
  }
  return body
}
