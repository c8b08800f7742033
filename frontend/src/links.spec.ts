import { describe, expect, it } from 'vitest'
import { consoleLink } from './links'

describe('consoleLink', () => {
  it('maps an API list query to the console page with the same filters', () => {
    expect(consoleLink({ path: '/api/v1/hazards/', query: 'state=reported&state=confirmed' })).toBe('/e/hazards?state=reported&state=confirmed')
    expect(consoleLink({ path: '/api/v1/risk-points/', query: 'level=major' })).toBe('/e/risk?level=major')
    expect(consoleLink({ path: '/api/v1/permits/', query: '' })).toBe('/e/permits')
  })
  it('no page, no link', () => {
    expect(consoleLink(null)).toBe('')
    expect(consoleLink({ path: '/api/v1/unknown/', query: 'x=1' })).toBe('')
  })
})
