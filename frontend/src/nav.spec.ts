import { describe, expect, it } from 'vitest'
import { ENTERPRISE_NAV, REGULATOR_NAV, activeNav } from './nav'

describe('activeNav', () => {
  it('marks the section of a detail page', () => {
    expect(activeNav(ENTERPRISE_NAV, '/e/hazards/12')).toBe('/e/hazards')
    expect(activeNav(ENTERPRISE_NAV, '/e/risk-map')).toBe('/e/risk-map')
  })
  it('the dashboard only for itself', () => {
    expect(activeNav(ENTERPRISE_NAV, '/e/')).toBe('/e/')
    expect(activeNav(ENTERPRISE_NAV, '/e')).toBe('/e/')
    expect(activeNav(REGULATOR_NAV, '/r/overview')).toBe('/r/overview')
  })
})
