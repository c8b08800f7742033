import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import committed from './facts-schema.json'
import { extractFactsSchemas } from './extract.mjs'
import { factsBody, factsFields, factsProblems, factsSchemaName, initialFacts, permitTypes } from './factsForm'

describe('facts form from the typed facts schema', () => {
  it('the committed facts-schema.json is what openapi.json gives (npm run gen)', () => {
    const spec = JSON.parse(readFileSync(resolve(process.cwd(), 'openapi.json'), 'utf8'))
    expect(committed).toEqual(extractFactsSchemas(spec))
  })

  it('every permit type has its facts schema in the oneOf, with a Chinese name', () => {
    const types = permitTypes()
    expect(types.map((t) => t.value)).toContain('hot_work')
    expect(types.find((t) => t.value === 'hot_work')?.label).toBe('动火作业')
    for (const t of types) expect(() => factsFields(t.value)).not.toThrow()
    expect(factsSchemaName('road_closure')).toBe('RoadClosureFactsRequest')
    expect(() => factsFields('bogus')).toThrow()
  })

  it('hot work: booleans, the day-type enum without the blank, the wind range, required method', () => {
    const f = Object.fromEntries(factsFields('hot_work').map((x) => [x.name, x]))
    expect(f.method).toMatchObject({ kind: 'string', required: true, label: '作业方式', maxLength: 50 })
    expect(f.night).toMatchObject({ kind: 'boolean', required: false, default: false, label: '夜间作业' })
    expect(f.in_fire_explosion_area).toMatchObject({ kind: 'boolean', required: true })
    expect(f.day_type.kind).toBe('enum')
    expect(f.day_type.options?.map((o) => o.value)).toEqual(['holiday', 'public_holiday', 'rest_day', 'weekend', 'workday'])
    expect(f.day_type.options?.find((o) => o.value === 'workday')?.label).toBe('工作日')
    expect(f.wind_force).toMatchObject({ kind: 'integer', min: 0, max: 17, nullable: true })
  })

  it('height: a decimal height and several hazard-factor codes', () => {
    const f = Object.fromEntries(factsFields('height').map((x) => [x.name, x]))
    expect(f.height_m).toMatchObject({ kind: 'decimal', required: true })
    expect(f.hazard_factors).toMatchObject({ kind: 'multienum', maxItems: 9 })
    expect(f.hazard_factors.options?.[0]).toEqual({ value: 'strong_wind', label: '阵风风力五级以上' })
  })

  it('initial values, the body leaves out empty optional fields, problems name required and out-of-range', () => {
    const fields = factsFields('hot_work')
    const v = initialFacts(fields)
    expect(v).toMatchObject({ method: '', night: false, day_type: '', wind_force: null })
    expect(factsProblems(fields, v)).toEqual({ method: '请填写作业方式' })
    v.method = '电焊'
    v.wind_force = 18
    expect(factsProblems(fields, v)).toEqual({ wind_force: '风力（级）不能大于 17' })
    v.wind_force = null
    const body = factsBody(fields, v)
    expect(body).toMatchObject({ method: '电焊', night: false, in_fire_explosion_area: false })
    expect(body).not.toHaveProperty('wind_force')
    expect(body).not.toHaveProperty('day_type')
  })
})
