import { describe, expect, it } from 'vitest'
import { bodyOf, formsFor, ACTION_FORMS } from './actions'

describe('hazard action forms', () => {
  it('offers only the allowed actions, in the API order', () => {
    expect(formsFor(['confirm', 'reject', 'photos', 'tick_checklist']).map((f) => f.action)).toEqual(['confirm', 'reject'])
    expect(formsFor([])).toEqual([])
  })
  it('leaves empty optional fields out and sends required ones (the API names what is missing)', () => {
    expect(bodyOf(ACTION_FORMS.confirm, { grade: 'general', treatment: 'deadline', deadline: '', responsible_person: 5 }))
      .toEqual({ grade: 'general', treatment: 'deadline', responsible_person: 5 })
    expect(bodyOf(ACTION_FORMS.reject, {})).toEqual({ reason: '' })
    expect(bodyOf(ACTION_FORMS.start_rectification, { x: 1 })).toEqual({})
  })
})
