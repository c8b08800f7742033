// Every route of the console (CONSOLE.md). Pages are lazy-loaded (each its own chunk). A page's file is
// named after its route; to add a page create the view and add it here (and to nav.ts for the menu).
import type { RouteRecordRaw } from 'vue-router'

export const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('@/views/LoginView.vue'), meta: { public: true, title: '登录' } },
  { path: '/', redirect: '/e/' },
  {
    path: '/e',
    component: () => import('@/layouts/DesktopLayout.vue'),
    meta: { section: 'enterprise' },
    children: [
      { path: '', name: 'e-dashboard', component: () => import('@/views/e/DashboardView.vue'), meta: { title: '工作台' } },
      { path: 'risk', name: 'e-risk', component: () => import('@/views/e/RiskView.vue'), meta: { title: '风险分级管控' } },
      { path: 'risk-map', name: 'e-risk-map', component: () => import('@/views/e/RiskMapView.vue'), meta: { title: '四色风险分布图' } },
      { path: 'hazards', name: 'e-hazards', component: () => import('@/views/e/HazardListView.vue'), meta: { title: '隐患排查治理' } },
      { path: 'hazards/:id(\\d+)', name: 'e-hazard', component: () => import('@/views/e/HazardDetailView.vue'), props: true, meta: { title: '隐患详情' } },
      { path: 'permits', name: 'e-permits', component: () => import('@/views/e/PermitsView.vue'), meta: { title: '特殊作业' } },
      { path: 'tasks', name: 'e-tasks', component: () => import('@/views/e/TasksView.vue'), meta: { title: '排查任务' } },
      { path: 'notifications', name: 'e-notifications', component: () => import('@/views/e/NotificationsView.vue'), meta: { title: '通知' } },
      { path: 'reports', name: 'e-reports', component: () => import('@/views/e/ReportsView.vue'), meta: { title: '双报告' } },
      { path: 'org', name: 'e-org', component: () => import('@/views/e/OrgView.vue'), meta: { title: '企业信息与成员' } },
    ],
  },
  {
    path: '/m',
    component: () => import('@/layouts/PhoneLayout.vue'),
    meta: { section: 'phone' },
    children: [
      { path: '', redirect: '/m/report' },
      { path: 'report', name: 'm-report', component: () => import('@/views/m/ReportView.vue'), meta: { title: '随手拍' } },
      { path: 'tasks', name: 'm-tasks', component: () => import('@/views/m/TasksView.vue'), meta: { title: '巡检任务' } },
      { path: 'scan/:pointId(\\d+)', name: 'm-scan', component: () => import('@/views/m/ScanView.vue'), props: true, meta: { title: '扫码巡检' } },
    ],
  },
  {
    path: '/r',
    component: () => import('@/layouts/DesktopLayout.vue'),
    meta: { section: 'regulator' },
    children: [
      { path: '', name: 'r-map', component: () => import('@/views/r/MapView.vue'), meta: { title: '辖区风险地图' } },
      { path: 'overview', name: 'r-overview', component: () => import('@/views/r/OverviewView.vue'), meta: { title: '辖区概况' } },
      { path: 'enterprises', name: 'r-enterprises', component: () => import('@/views/r/EnterprisesView.vue'), meta: { title: '企业' } },
      { path: 'enterprises/:id(\\d+)/risk-map', name: 'r-enterprise-risk-map', component: () => import('@/views/r/EnterpriseRiskMapView.vue'), props: true, meta: { title: '企业四色图' } },
      { path: 'permits', name: 'r-permits', component: () => import('@/views/r/PermitsView.vue'), meta: { title: '特殊作业监管' } },
      { path: 'inspections', name: 'r-inspections', component: () => import('@/views/r/InspectionsView.vue'), meta: { title: '执法检查' } },
      { path: 'draws', name: 'r-draws', component: () => import('@/views/r/DrawsView.vue'), meta: { title: '双随机抽查' } },
      { path: 'whistle', name: 'r-whistle', component: () => import('@/views/r/WhistleView.vue'), meta: { title: '举报处理' } },
      { path: 'reports', name: 'r-reports', component: () => import('@/views/r/ReportsView.vue'), meta: { title: '双报告' } },
    ],
  },
  {
    path: '/public',
    component: () => import('@/layouts/PublicLayout.vue'),
    meta: { public: true },
    children: [
      { path: 'whistle', name: 'public-whistle', component: () => import('@/views/public/WhistleView.vue'), meta: { public: true, title: '安全生产举报' } },
      { path: 'whistle/:code', name: 'public-whistle-status', component: () => import('@/views/public/WhistleStatusView.vue'), props: true, meta: { public: true, title: '举报处理进度' } },
      { path: 'draws', name: 'public-draws', component: () => import('@/views/public/DrawsView.vue'), meta: { public: true, title: '双随机抽查公示' } },
    ],
  },
  {
    path: '/verify',
    component: () => import('@/layouts/PublicLayout.vue'),
    meta: { public: true },
    children: [
      { path: '', name: 'verify', component: () => import('@/views/public/VerifyView.vue'), meta: { public: true, title: '报告核验' } },
      { path: ':sha256', name: 'verify-sha', component: () => import('@/views/public/VerifyView.vue'), props: true, meta: { public: true, title: '报告核验' } },
    ],
  },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('@/views/NotFoundView.vue'), meta: { public: true, title: '页面不存在' } },
]
