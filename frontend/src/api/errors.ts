// Coded API errors (drf-standardized-errors): {type, errors: [{code, detail, attr}]}. One helper puts each
// error on the form field its `attr` names (Element Plus form-item `error`) and returns the rest as one message.

export interface ApiErrorItem {
  code: string
  detail: string
  attr: string | null
}

export interface ApiErrorBody {
  type?: string
  errors: ApiErrorItem[]
}

export function isApiError(body: unknown): body is ApiErrorBody {
  return !!body && typeof body === 'object' && Array.isArray((body as ApiErrorBody).errors)
}

export interface MappedErrors {
  /** field name → message, for the fields the form has */
  fields: Record<string, string>
  /** everything not shown on a field, joined for ElMessage */
  message: string
}

/**
 * Split an error body over a form's fields. `attr` may name a nested field (`photos.0`, `facts.gas`):
 * the first segment that is a known field takes it. `fields` lists the form's field names; an error of any
 * other attr (or none) goes to `message`. Non-coded bodies (network errors, HTML) give a generic message.
 */
export function mapApiErrors(body: unknown, fields: readonly string[], status?: number): MappedErrors {
  const out: MappedErrors = { fields: {}, message: '' }
  if (!isApiError(body)) {
    out.message = status ? `请求失败（HTTP ${status}）` : '网络错误，请稍后重试'
    return out
  }
  const rest: string[] = []
  for (const e of body.errors) {
    const field = e.attr ? fieldOf(e.attr, fields) : null
    if (field) out.fields[field] = out.fields[field] ? `${out.fields[field]}；${e.detail}` : e.detail
    else rest.push(e.detail)
  }
  out.message = rest.join('；')
  return out
}

function fieldOf(attr: string, fields: readonly string[]): string | null {
  if (fields.includes(attr)) return attr
  const head = attr.split('.')[0]
  return fields.includes(head) ? head : null
}

/** The first error's code of a body, or '' (for branching on a specific refusal). */
export function errorCode(body: unknown): string {
  return isApiError(body) && body.errors.length ? body.errors[0].code : ''
}
