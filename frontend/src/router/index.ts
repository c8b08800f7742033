import { createRouter, createWebHistory, type Router } from 'vue-router'
import { routes } from './routes'
import { useAuthStore } from '@/stores/auth'
import { setUnauthorizedHandler } from '@/api/client'
import { phoneRedirect } from '@/phone/landing'

declare module 'vue-router' {
  interface RouteMeta {
    /** reachable without signing in */
    public?: boolean
    title?: string
    /** which console a layout route belongs to */
    section?: 'enterprise' | 'regulator' | 'phone'
  }
}

/** The guard: sign-in required except on public pages; each organization kind to its own console. */
export function installGuards(router: Router): void {
  router.beforeEach(async (to, from) => {
    const auth = useAuthStore()
    if (to.meta.public) {
      if (to.name === 'login') {
        await auth.ensureLoaded()
        if (auth.isAuthenticated) return auth.home
      }
      return true
    }
    await auth.ensureLoaded()
    if (!auth.isAuthenticated) return { name: 'login', query: { next: to.fullPath } }
    const section = to.matched.find((r) => r.meta.section)?.meta.section
    if (section === 'enterprise' && auth.isRegulator) return '/r/'
    if (section === 'regulator' && !auth.isRegulator) return '/e/'
    // an employee's first page on a phone (or the one right after login) is the phone home, not the desktop 工作台
    const phone = phoneRedirect(to, {
      initial: from.matched.length === 0 || from.name === 'login', width: window.innerWidth, isRegulator: auth.isRegulator, role: auth.role,
    })
    if (phone) return phone
    return true
  })
  router.afterEach((to) => {
    document.title = to.meta.title ? `${to.meta.title} · 双防` : '双防'
  })
  setUnauthorizedHandler(() => {
    const auth = useAuthStore()
    auth.clear()
    const current = router.currentRoute.value
    // during the first navigation (no page yet) the guard itself sends to /login with the right `next`
    if (current.matched.length === 0) return
    if (!current.meta.public) router.replace({ name: 'login', query: { next: current.fullPath } })
  })
}

export function makeRouter(): Router {
  const router = createRouter({ history: createWebHistory('/'), routes })
  installGuards(router)
  return router
}
