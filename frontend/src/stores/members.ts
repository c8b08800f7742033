// The caller's organization's members (GET /api/v1/members/), loaded once, for person pickers.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api } from '@/api/client'
import type { components } from '@/api/schema'

export type Member = components['schemas']['Member']

export const useMembersStore = defineStore('members', () => {
  const members = ref<Member[]>([])
  const loaded = ref(false)

  async function load(force = false): Promise<Member[]> {
    if (loaded.value && !force) return members.value
    const { data } = await api.GET('/api/v1/members/', { params: { query: { page_size: 200 } } })
    members.value = data?.results ?? []
    loaded.value = true
    return members.value
  }

  function nameOf(id: number | null | undefined): string {
    const m = members.value.find((x) => x.id === id)
    return m ? m.full_name || m.username : ''
  }

  return { members, loaded, load, nameOf }
})
