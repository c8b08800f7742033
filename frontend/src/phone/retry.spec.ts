import { describe, expect, it, vi } from 'vitest'
import { newIdempotencyKey, retryableStatus, withRetry } from './retry'

const noSleep = () => Promise.resolve()

describe('withRetry', () => {
  it('retries network failures and 5xx, then succeeds', async () => {
    const send = vi.fn()
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValueOnce({ ok: false, retryable: true, status: 502 })
      .mockResolvedValueOnce({ ok: true, retryable: false, value: 7 })
    const r = await withRetry(send, 3, 1, noSleep)
    expect(r).toMatchObject({ ok: true, value: 7 })
    expect(send).toHaveBeenCalledTimes(3)
  })
  it('stops at a 4xx (the user must fix the form)', async () => {
    const send = vi.fn().mockResolvedValue({ ok: false, retryable: false, status: 400 })
    expect((await withRetry(send, 3, 1, noSleep)).status).toBe(400)
    expect(send).toHaveBeenCalledTimes(1)
  })
  it('gives up after the attempts and returns the last failure', async () => {
    const send = vi.fn().mockRejectedValue(new TypeError('offline'))
    const r = await withRetry(send, 2, 1, noSleep)
    expect(r).toEqual({ ok: false, retryable: true })
    expect(send).toHaveBeenCalledTimes(2)
  })
})

describe('idempotency keys and statuses', () => {
  it('keys differ per report', () => {
    expect(newIdempotencyKey()).not.toBe(newIdempotencyKey())
  })
  it('5xx/429/408 are retryable, 4xx not', () => {
    expect([500, 503, 429, 408, 0].every(retryableStatus)).toBe(true)
    expect([400, 403, 404, 409].some(retryableStatus)).toBe(false)
  })
})
