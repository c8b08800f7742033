import { describe, expect, it, vi } from 'vitest'
import { csrfMiddleware, readCookie, setUnauthorizedHandler } from './client'

type Hook = (arg: never) => unknown

describe('readCookie', () => {
  it('finds a cookie among others and decodes it', () => {
    expect(readCookie('csrftoken', 'sessionid=abc; csrftoken=t%3Dk; x=1')).toBe('t=k')
    expect(readCookie('csrftoken', 'sessionid=abc')).toBe('')
  })
})

describe('csrfMiddleware', () => {
  it('sends X-CSRFToken on unsafe methods only', async () => {
    document.cookie = 'csrftoken=tok123'
    const onRequest = csrfMiddleware.onRequest as Hook
    const post = (await onRequest({ request: new Request('http://x/api/v1/hazards/', { method: 'POST' }) } as never)) as Request
    const get = (await onRequest({ request: new Request('http://x/api/v1/hazards/') } as never)) as Request
    expect(post.headers.get('X-CSRFToken')).toBe('tok123')
    expect(get.headers.get('X-CSRFToken')).toBeNull()
  })

  it('a 401 calls the unauthorized handler, except from the session login', async () => {
    const handler = vi.fn()
    setUnauthorizedHandler(handler)
    const onResponse = csrfMiddleware.onResponse as Hook
    await onResponse({ request: new Request('http://x/api/v1/hazards/'), response: new Response(null, { status: 401 }) } as never)
    expect(handler).toHaveBeenCalledTimes(1)
    await onResponse({ request: new Request('http://x/api/v1/auth/session/'), response: new Response(null, { status: 401 }) } as never)
    await onResponse({ request: new Request('http://x/api/v1/hazards/'), response: new Response(null, { status: 403 }) } as never)
    expect(handler).toHaveBeenCalledTimes(1)
  })
})
