// The facts form of the permit wizard, built from the typed facts schema of the API (openapi.json
// PermitFactsRequest oneOf, extracted into facts-schema.json by scripts/facts-schema.mjs): one field per
// property with its kind (boolean / integer / decimal / string / enum / several enum values), required,
// range (minimum/maximum), maxLength and default. Labels are Chinese (FACT_LABELS; the schema carries codes).
import factsSchema from './facts-schema.json'

type Json = Record<string, unknown>
interface Spec { oneOf: string[]; schemas: Record<string, Json> }
const SPEC = factsSchema as unknown as Spec

export type FactKind = 'boolean' | 'integer' | 'decimal' | 'number' | 'string' | 'enum' | 'multienum'

export interface FactField {
  name: string
  label: string
  kind: FactKind
  required: boolean
  nullable: boolean
  min?: number
  max?: number
  maxLength?: number
  maxItems?: number
  options?: { value: string; label: string }[]
  default?: unknown
}

/** Chinese labels of the facts fields (GB 30871-2022 terms). */
export const FACT_LABELS: Record<string, string> = {
  method: '作业方式', in_fire_explosion_area: '在火灾爆炸危险场所', on_running_equipment: '在运行的生产装置/设备上',
  inside_major_hazard_tank_dike: '在重大危险源罐区防火堤内', on_pipe_rack: '在管廊上', day_type: '日期类型', night: '夜间作业',
  continuous_gas_monitoring: '连续气体监测', confined_space_name: '受限空间名称', outdoor: '室外作业', wind_force: '风力（级）',
  production_need: '因生产需要', production_need_reason: '生产需要说明', special_situation: '特殊情况', isolated_unit: '装置已隔离',
  isolated_unit_approver: '隔离确认人', space_name: '受限空间名称', original_medium: '原有介质', oxygen_enriched_declared: '富氧环境',
  entrants: '进入人数', action: '抽/堵', pipeline_id: '管道编号', plate_no: '盲板编号', medium: '介质', temperature_c: '温度（℃）',
  pressure_mpa: '压力（MPa）', plate_material: '盲板材质', plate_size: '盲板规格', diagram_no: '盲板位置图编号',
  portable_gas_monitor: '携带便携式气体检测仪', height_m: '作业高度（m）', hazard_factors: '高处作业危险因素',
  ambient_mean_temp_c: '环境平均气温（℃）', water_temp_c: '水温（℃）', approval_situations: '需升级审批的情形', load_t: '吊物质量（t）',
  crane: '起重机械', lift_plan_no: '吊装方案编号', rigger: '司索人', signaller: '指挥人', connection_point: '接入点',
  power_kw: '功率（kW）', voltage_v: '电压（V）', equipment: '用电设备', special_case: '特殊情况', special_case_reason: '特殊情况说明',
  feeds_permit_no: '供电的作业票号', depth_m: '深度（m）', area_m2: '面积（m²）', buried_services: '地下设施', road_section: '断路路段',
  reason: '断路原因', departments: '相关部门', detour: '绕行路线',
}

/** Chinese labels of the facts enum codes (the schema's labels repeat the codes). */
export const ENUM_LABELS: Record<string, string> = {
  workday: '工作日', weekend: '周末', rest_day: '休息日', holiday: '节假日', public_holiday: '法定节假日',
  blind: '堵盲板', unblind: '抽盲板', 堵: '堵', 抽: '抽',
  strong_wind: '阵风风力五级以上', low_temperature: '平均气温≤5℃', cold_water: '接触冷水（≤12℃）', near_live_parts: '带电体附近',
  slippery: '湿滑', poor_light: '光线不足', toxic_or_low_oxygen: '有毒有害/缺氧环境', narrow_footing: '立足面狭窄', rescue: '抢救',
}

/** The facts component of a permit type: 'hot_work' → 'HotWorkFactsRequest' (a member of the oneOf). */
export function factsSchemaName(type: string): string {
  return type.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('') + 'FactsRequest'
}

/** The permit types of the API ('hot_work', …) with their Chinese names (from the enum's description). */
export function permitTypes(spec: Spec = SPEC): { value: string; label: string }[] {
  const e = spec.schemas.TypeD44Enum as { enum: string[]; description?: string }
  const labels = enumDescriptionLabels(e.description ?? '')
  return e.enum.map((v) => ({ value: v, label: labels[v] ?? v }))
}

function enumDescriptionLabels(description: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const m of description.matchAll(/^\* `([^`]+)` - (.+)$/gm)) out[m[1]] = m[2]
  return out
}

function deref(spec: Spec, s: Json): Json {
  const ref = s.$ref as string | undefined
  return ref ? (spec.schemas[ref.split('/').pop() as string] ?? {}) : s
}

function enumOptions(values: string[]): { value: string; label: string }[] {
  return values.filter((v) => v !== '').map((v) => ({ value: v, label: ENUM_LABELS[v] ?? v }))
}

function enumOf(spec: Spec, s: Json): string[] | null {
  const d = deref(spec, s)
  if (Array.isArray(d.enum)) return d.enum as string[]
  const alts = (d.oneOf ?? d.allOf) as Json[] | undefined
  if (alts) {
    const vals = alts.flatMap((a) => enumOf(spec, a) ?? [])
    return vals.length ? vals : null
  }
  return null
}

/** The fields of a type's facts form, in the schema's order. Throws for a type the schema lacks. */
export function factsFields(type: string, spec: Spec = SPEC): FactField[] {
  const name = factsSchemaName(type)
  if (!spec.oneOf.includes(name)) throw new Error(`no facts schema for permit type ${type}`)
  const schema = spec.schemas[name]
  const required = new Set((schema.required as string[]) ?? [])
  return Object.entries(schema.properties as Record<string, Json>).map(([prop, raw]) => {
    const s = deref(spec, raw)
    const f: FactField = {
      name: prop, label: FACT_LABELS[prop] ?? prop, kind: 'string', required: required.has(prop), nullable: !!s.nullable,
    }
    if ('default' in s) f.default = s.default
    const values = enumOf(spec, s)
    if (values) {
      f.kind = 'enum'
      f.options = enumOptions(values)
    } else if (s.type === 'array') {
      const items = enumOf(spec, (s.items as Json) ?? {})
      f.kind = items ? 'multienum' : 'string'
      if (items) f.options = enumOptions(items)
      if (typeof s.maxItems === 'number') f.maxItems = s.maxItems
    } else if (s.type === 'boolean') f.kind = 'boolean'
    else if (s.type === 'integer') f.kind = 'integer'
    else if (s.type === 'number') f.kind = 'number'
    else if (s.format === 'decimal') f.kind = 'decimal'
    if (typeof s.minimum === 'number') f.min = s.minimum
    if (typeof s.maximum === 'number') f.max = s.maximum
    if (typeof s.maxLength === 'number') f.maxLength = s.maxLength
    return f
  })
}

/** Initial values: the schema default, else false for booleans, [] for lists, '' for text, null for numbers. */
export function initialFacts(fields: readonly FactField[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const f of fields) {
    if (f.default !== undefined) out[f.name] = f.default
    else if (f.kind === 'boolean') out[f.name] = false
    else if (f.kind === 'multienum') out[f.name] = []
    else if (f.kind === 'string' || f.kind === 'enum' || f.kind === 'decimal') out[f.name] = ''
    else out[f.name] = null
  }
  return out
}

/** The facts body: optional fields left empty are left out (the API applies its defaults). */
export function factsBody(fields: readonly FactField[], values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const f of fields) {
    const v = values[f.name]
    const empty = v === '' || v === null || v === undefined || (Array.isArray(v) && v.length === 0)
    if (empty && !f.required) continue
    out[f.name] = v
  }
  return out
}

/** A client-side check before asking the API (which stays the judge): required and ranges. */
export function factsProblems(fields: readonly FactField[], values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const f of fields) {
    const v = values[f.name]
    if (f.required && f.kind !== 'boolean' && (v === '' || v === null || v === undefined)) out[f.name] = `请填写${f.label}`
    if (typeof v === 'number') {
      if (f.min !== undefined && v < f.min) out[f.name] = `${f.label}不能小于 ${f.min}`
      if (f.max !== undefined && v > f.max) out[f.name] = `${f.label}不能大于 ${f.max}`
    }
  }
  return out
}
