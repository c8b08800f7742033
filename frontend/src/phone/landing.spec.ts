import { describe, expect, it } from 'vitest'
import { PHONE_HOME, homeFor, isNarrow, phoneRedirect } from './landing'

describe('homeFor', () => {
  it('sends employees to the phone pages, managers to the desktop, regulators to theirs', () => {
    expect(homeFor({ isRegulator: false, role: 'employee' })).toBe(PHONE_HOME)
    expect(homeFor({ isRegulator: false, role: 'safety_officer' })).toBe('/e/')
    expect(homeFor({ isRegulator: false, role: 'principal' })).toBe('/e/')
    expect(homeFor({ isRegulator: true, role: 'inspector' })).toBe('/r/')
  })
})

describe('phoneRedirect', () => {
  const employee = { initial: true, width: 375, isRegulator: false, role: 'employee' }

  it('an employee opening /e/ first on a phone goes to the phone home', () => {
    expect(phoneRedirect({ path: '/e/' }, employee)).toBe(PHONE_HOME)
    expect(phoneRedirect({ path: '/e' }, employee)).toBe(PHONE_HOME)
  })

  it('keeps wide screens, managers, in-app navigation and the other desktop pages', () => {
    expect(phoneRedirect({ path: '/e/' }, { ...employee, width: 768 })).toBeNull()
    expect(phoneRedirect({ path: '/e/' }, { ...employee, role: 'safety_officer' })).toBeNull()
    expect(phoneRedirect({ path: '/e/' }, { ...employee, initial: false })).toBeNull()
    expect(phoneRedirect({ path: '/e/hazards/3' }, employee)).toBeNull()
    expect(phoneRedirect({ path: '/r/' }, { ...employee, isRegulator: true, role: 'inspector' })).toBeNull()
  })

  it('narrow means below 768 px', () => {
    expect(isNarrow(767)).toBe(true)
    expect(isNarrow(768)).toBe(false)
  })
})
