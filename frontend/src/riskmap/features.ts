// The GeoJSON of GET /api/v1/risk-map/ (the enterprise's own map, or a jurisdiction enterprise's with
// ?enterprise=<id> for regulators) read into what the 四色图 draws: the plan size and image URL (with its
// ?v=<sha256> cache version), the zones (ring in plan pixels, level, colour, 重大危险源 mark) and the points.

export interface ZoneFeature {
  id: number
  name: string
  note: string
  ring: number[][]
  level: string
  levelLabel: string
  hex: string
  pointIds: number[]
  major: boolean
  centroid: number[]
}
export interface MapPoint {
  id: number
  code: string
  name: string
  level: string
  levelLabel: string
  zoneId: number | null
  major: boolean
}
export interface RiskMapData {
  width: number
  height: number
  image: string
  zones: ZoneFeature[]
  points: MapPoint[]
}

interface RiskMapCollection {
  metadata: { width: number | null; height: number | null; image: string | null }
  features: { geometry: { coordinates: number[][][] } | null; properties: Record<string, unknown> }[]
}

/** Read the risk-map FeatureCollection: `kind: zone` features (closed ring → open ring) and `kind: point`. */
export function parseRiskMap(data: unknown): RiskMapData {
  const fc = data as RiskMapCollection
  const zones: ZoneFeature[] = []
  const points: MapPoint[] = []
  for (const f of fc.features) {
    const p = f.properties
    if (p.kind === 'zone' && f.geometry) {
      zones.push({
        id: p.zone_id as number, name: p.name as string, note: (p.note as string) ?? '',
        ring: f.geometry.coordinates[0].slice(0, -1), level: p.level as string, levelLabel: p.level_label as string,
        hex: p.colour_hex as string, pointIds: p.point_ids as number[], major: !!p.has_major_hazard_source,
        centroid: p.centroid as number[],
      })
    } else if (p.kind === 'point') {
      points.push({
        id: p.point_id as number, code: p.code as string, name: p.name as string, level: p.level as string,
        levelLabel: p.level_label as string, zoneId: (p.zone_id as number | null) ?? null, major: !!p.is_major_hazard_source,
      })
    }
  }
  return { width: fc.metadata.width ?? 0, height: fc.metadata.height ?? 0, image: fc.metadata.image ?? '', zones, points }
}

/** The plan image as a data URL (the PNG export needs it inline); '' when the request fails. */
export async function toDataUrl(url: string): Promise<string> {
  const r = await fetch(url, { credentials: 'same-origin' })
  if (!r.ok) return ''
  const blob = await r.blob()
  return await new Promise((resolve) => {
    const fr = new FileReader()
    fr.onload = () => resolve(String(fr.result))
    fr.readAsDataURL(blob)
  })
}
