// A weak network must not lose a 随手拍 report: the same request is retried with the same
// Idempotency-Key (the API answers a repeated key with the hazard it already filed, no duplicate).

/** A new idempotency key (one per report the user means to file). */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto
  if (c && 'randomUUID' in c) return c.randomUUID()
  return `${Date.now().toString(16)}-${Math.random().toString(16).slice(2)}`
}

export interface Attempt<T> {
  ok: boolean
  /** a network failure or a 5xx/429: worth trying again */
  retryable: boolean
  value?: T
  status?: number
  body?: unknown
}

/**
 * Run `send` until it succeeds, fails for good (a 4xx: the user must change something), or `attempts`
 * tries have failed; waits `delayMs * 2^n` between tries. Returns the last attempt.
 */
export async function withRetry<T>(send: () => Promise<Attempt<T>>, attempts = 3, delayMs = 800,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): Promise<Attempt<T>> {
  let last: Attempt<T> = { ok: false, retryable: true }
  for (let i = 0; i < attempts; i++) {
    try {
      last = await send()
    } catch {
      last = { ok: false, retryable: true }
    }
    if (last.ok || !last.retryable) return last
    if (i < attempts - 1) await sleep(delayMs * 2 ** i)
  }
  return last
}

/** Whether an HTTP status is worth retrying (the request may not have been handled). */
export function retryableStatus(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500
}
