// The 工作台: GET /api/v1/dashboard/ (figures, each with its list link) and GET /api/v1/me/todos/.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api } from '@/api/client'
import type { components } from '@/api/schema'

export type Dashboard = components['schemas']['DashboardOut']
export type Todos = components['schemas']['TodosOut']
export type Todo = components['schemas']['TodoOut']

/** The console page of a to-do (the hazard, the permit board, the task list). */
export function todoLink(todo: Pick<Todo, 'object_type' | 'object_id'>): string {
  if (todo.object_type === 'hazard') return `/e/hazards/${todo.object_id}`
  if (todo.object_type === 'permit') return `/e/permits?id=${todo.object_id}`
  return '/e/tasks'
}

/** The options of the risk-point pie: the four colours (and 未评估) with their counts. */
export function riskPieOption(points: Dashboard['risk_points']) {
  return {
    tooltip: { trigger: 'item', formatter: '{b}：{c} 个（{d}%）' },
    legend: { bottom: 0 },
    series: [{
      type: 'pie', radius: ['40%', '68%'], label: { formatter: '{b}\n{c}' },
      data: points.map((p) => ({ name: p.label, value: p.count, itemStyle: { color: p.colour_hex } })),
    }],
  }
}

/** The options of the open-hazards-by-state bar chart. */
export function hazardBarOption(states: Dashboard['hazards_open_by_state']) {
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 16, top: 16, bottom: 32 },
    xAxis: { type: 'category', data: states.map((s) => s.label) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', data: states.map((s) => s.count), itemStyle: { color: '#c0392b' }, barMaxWidth: 40 }],
  }
}

export const useDashboardStore = defineStore('dashboard', () => {
  const dashboard = ref<Dashboard | null>(null)
  const todos = ref<Todos | null>(null)
  const error = ref('')

  /** The figures and the to-dos load side by side; each shows as soon as it arrives. */
  async function load(): Promise<void> {
    error.value = ''
    await Promise.all([
      api.GET('/api/v1/dashboard/').then(({ data }) => {
        if (data) dashboard.value = data
        else error.value = '工作台数据加载失败'
      }),
      api.GET('/api/v1/me/todos/').then(({ data }) => {
        if (data) todos.value = data
        else error.value = '待办加载失败'
      }),
    ])
  }

  return { dashboard, todos, error, load }
})
