// Field errors of a form from a coded API error body (api/errors.ts): bind `errors.<field>` to the
// el-form-item `error` prop; the rest is shown as an ElMessage.
import { reactive } from 'vue'
import { ElMessage } from 'element-plus'
import { mapApiErrors } from '@/api/errors'

export function useFormErrors<F extends string>(fields: readonly F[]) {
  const errors = reactive<Record<string, string>>(Object.fromEntries(fields.map((f) => [f, ''])))

  function clear(): void {
    for (const f of fields) errors[f] = ''
  }

  /** Show `body` (an API error) on the fields; returns the message not shown on a field ('' if none). */
  function show(body: unknown, status?: number): string {
    clear()
    const mapped = mapApiErrors(body, fields, status)
    for (const [f, msg] of Object.entries(mapped.fields)) errors[f] = msg
    if (mapped.message) ElMessage.error(mapped.message)
    return mapped.message
  }

  return { errors, clear, show }
}
