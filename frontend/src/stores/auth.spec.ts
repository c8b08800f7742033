import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'

const calls: { method: string; url: string; body?: unknown }[] = []
const answers: Record<string, { data?: unknown; error?: unknown; response: { status: number } }> = {}

vi.mock('@/api/client', () => {
  const call = (method: string) => async (url: string, init?: { body?: unknown }) => {
    calls.push({ method, url, body: init?.body })
    return answers[`${method} ${url}`] ?? { data: undefined, response: { status: 200 } }
  }
  return { api: { GET: call('GET'), POST: call('POST'), DELETE: call('DELETE') } }
})

import { useAuthStore } from './auth'

const officer = { id: 3, username: 'officer', full_name: '刘晓燕', membership: { enterprise: 1, enterprise_name: '澄源化工', regulator: null, regulator_name: null, role: 'safety_officer' } }
const inspector = { id: 9, username: 'inspector', full_name: '李建军', membership: { enterprise: null, enterprise_name: null, regulator: 2, regulator_name: '高青县应急管理局', role: 'inspector' } }

describe('auth store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    calls.length = 0
    for (const k of Object.keys(answers)) delete answers[k]
  })

  it('login fetches the csrf cookie first, then posts the session', async () => {
    answers['POST /api/v1/auth/session/'] = { data: officer, response: { status: 200 } }
    const auth = useAuthStore()
    expect(await auth.login('officer', 'pw')).toEqual({ ok: true })
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /api/v1/auth/csrf/', 'POST /api/v1/auth/session/'])
    expect(calls[1].body).toEqual({ username: 'officer', password: 'pw' })
    expect(auth.isAuthenticated).toBe(true)
    expect(auth.home).toBe('/e/')
    expect(auth.organizationName).toBe('澄源化工')
  })

  it('a refused login returns the coded body and signs nobody in', async () => {
    const body = { errors: [{ code: 'invalid_credentials', detail: '用户名或密码错误。', attr: null }] }
    answers['POST /api/v1/auth/session/'] = { error: body, response: { status: 400 } }
    const auth = useAuthStore()
    expect(await auth.login('officer', 'x')).toEqual({ ok: false, status: 400, body })
    expect(auth.isAuthenticated).toBe(false)
  })

  it('a regulator lands on the regulator console', async () => {
    answers['GET /api/v1/auth/me/'] = { data: inspector, response: { status: 200 } }
    const auth = useAuthStore()
    await auth.ensureLoaded()
    expect(auth.isRegulator).toBe(true)
    expect(auth.home).toBe('/r/')
    await auth.ensureLoaded()
    expect(calls.filter((c) => c.url === '/api/v1/auth/me/')).toHaveLength(1) // loaded once
  })

  it('logout deletes the session and forgets the user', async () => {
    answers['GET /api/v1/auth/me/'] = { data: officer, response: { status: 200 } }
    const auth = useAuthStore()
    await auth.fetchMe()
    await auth.logout()
    expect(calls.at(-1)).toMatchObject({ method: 'DELETE', url: '/api/v1/auth/session/' })
    expect(auth.me).toBeNull()
  })

  it('an employee lands on the phone pages (随手拍)', async () => {
    const employee = { ...officer, username: 'employee', membership: { ...officer.membership, role: 'employee' } }
    answers['POST /api/v1/auth/session/'] = { data: employee, response: { status: 200 } }
    const auth = useAuthStore()
    await auth.login('employee', 'pw')
    expect(auth.home).toBe('/m/report')
  })
})
