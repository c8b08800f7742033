// The one API client (CONSOLE.md): openapi-fetch typed by schema.d.ts (`npm run gen`), same-origin session
// cookies, the X-CSRFToken header on unsafe methods, and a 401 → the login page.
import createClient, { type Middleware } from 'openapi-fetch'
import type { paths } from './schema'

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** The value of cookie `name` in `cookies` (document.cookie format), or ''. */
export function readCookie(name: string, cookies: string = typeof document === 'undefined' ? '' : document.cookie): string {
  for (const part of cookies.split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return decodeURIComponent(v.join('='))
  }
  return ''
}

type UnauthorizedHandler = () => void
let onUnauthorized: UnauthorizedHandler = () => {}

/** Called by the router setup: what to do when any call answers 401 (go to /login). */
export function setUnauthorizedHandler(fn: UnauthorizedHandler): void {
  onUnauthorized = fn
}

export const csrfMiddleware: Middleware = {
  onRequest({ request }) {
    if (UNSAFE.has(request.method.toUpperCase())) {
      const token = readCookie('csrftoken')
      if (token) request.headers.set('X-CSRFToken', token)
    }
    return request
  },
  onResponse({ response, request }) {
    // The session login itself answers 400/403, never 401; a 401 anywhere else means the session is gone.
    if (response.status === 401 && !request.url.includes('/api/v1/auth/session/')) onUnauthorized()
    return response
  },
}

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' })
api.use(csrfMiddleware)

/** A multipart POST (photos, files) through the same cookies, CSRF header and 401 handling. */
export async function postForm(url: string, body: FormData, headers: Record<string, string> = {}): Promise<Response> {
  const h = new Headers(headers)
  const token = readCookie('csrftoken')
  if (token) h.set('X-CSRFToken', token)
  const response = await fetch(url, { method: 'POST', body, headers: h, credentials: 'same-origin' })
  if (response.status === 401) onUnauthorized()
  return response
}

export type { paths, components } from './schema'

/** A JSON POST to a path the caller builds (state-machine actions): `{ok, status, data}` (data: the body). */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ ok: boolean; status: number; data: unknown }> {
  const h = new Headers({ 'Content-Type': 'application/json', Accept: 'application/json', ...headers })
  const token = readCookie('csrftoken')
  if (token) h.set('X-CSRFToken', token)
  const response = await fetch(url, { method: 'POST', body: JSON.stringify(body ?? {}), headers: h, credentials: 'same-origin' })
  if (response.status === 401) onUnauthorized()
  const text = await response.text()
  let data: unknown = null
  try { data = text ? JSON.parse(text) : null } catch { data = text }
  return { ok: response.ok, status: response.status, data }
}
