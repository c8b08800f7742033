// The signed-in user (from GET auth/me/ or the session login), kept in memory only: the session cookie is
// the credential, nothing is written to localStorage.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api } from '@/api/client'
import type { components } from '@/api/schema'
import { homeFor } from '@/phone/landing'

export type Me = components['schemas']['Me']

export const useAuthStore = defineStore('auth', () => {
  const me = ref<Me | null>(null)
  /** true once /auth/me/ has answered (signed in or not) */
  const loaded = ref(false)

  const isAuthenticated = computed(() => me.value !== null)
  const isRegulator = computed(() => !!me.value?.membership?.regulator)
  const role = computed(() => me.value?.membership?.role ?? '')
  const organizationName = computed(
    () => me.value?.membership?.enterprise_name ?? me.value?.membership?.regulator_name ?? '',
  )
  /** Where the user lands after login: the regulator console, the phone pages (employees) or the enterprise console. */
  const home = computed(() => homeFor({ isRegulator: isRegulator.value, role: role.value }))

  async function fetchMe(): Promise<Me | null> {
    const { data } = await api.GET('/api/v1/auth/me/')
    me.value = data ?? null
    loaded.value = true
    return me.value
  }

  /** Load the user once (the router guard calls it before the first page). */
  async function ensureLoaded(): Promise<Me | null> {
    if (!loaded.value) await fetchMe()
    return me.value
  }

  /** Session login: the csrf cookie first, then POST auth/session/. Returns the error body on failure. */
  async function login(username: string, password: string): Promise<{ ok: true } | { ok: false; status: number; body: unknown }> {
    await api.GET('/api/v1/auth/csrf/')
    const { data, error, response } = await api.POST('/api/v1/auth/session/', { body: { username, password } })
    if (!data) return { ok: false, status: response.status, body: error }
    me.value = data
    loaded.value = true
    return { ok: true }
  }

  async function logout(): Promise<void> {
    await api.DELETE('/api/v1/auth/session/')
    clear()
  }

  /** Forget the user (after a 401 or a logout). */
  function clear(): void {
    me.value = null
    loaded.value = true
  }

  return { me, loaded, isAuthenticated, isRegulator, role, organizationName, home, fetchMe, ensureLoaded, login, logout, clear }
})
