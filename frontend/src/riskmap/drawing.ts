// Polygon drawing state of the risk map: click to add vertices (plan-pixel coordinates), close by clicking
// near the first vertex or with 闭合; undo the last vertex; a closed ring of ≥ 3 distinct vertices is what
// POST /risk-zones/ accepts (the server also rejects self-intersecting or out-of-image rings).

export type Vertex = [number, number]

export interface DrawState {
  vertices: Vertex[]
  closed: boolean
}

/** Clicks within this many plan pixels of the first vertex close the ring. */
export const SNAP_PX = 12

export function emptyDrawing(): DrawState {
  return { vertices: [], closed: false }
}

function distinct(vertices: readonly Vertex[]): number {
  return new Set(vertices.map(([x, y]) => `${x},${y}`)).size
}

export function canClose(s: DrawState): boolean {
  return !s.closed && distinct(s.vertices) >= 3
}

/** Add a click at `p` (rounded to whole pixels, clamped into the image `size`); near the first vertex
 * (≤ `snap` px) with ≥ 3 vertices it closes the ring instead. A repeat of the last vertex is ignored. */
export function addVertex(s: DrawState, p: Vertex, size: { width: number; height: number }, snap = SNAP_PX): DrawState {
  if (s.closed) return s
  const v: Vertex = [Math.min(Math.max(Math.round(p[0]), 0), size.width), Math.min(Math.max(Math.round(p[1]), 0), size.height)]
  const first = s.vertices[0]
  if (first && canClose(s) && Math.hypot(v[0] - first[0], v[1] - first[1]) <= snap) return { ...s, closed: true }
  const last = s.vertices[s.vertices.length - 1]
  if (last && last[0] === v[0] && last[1] === v[1]) return s
  return { vertices: [...s.vertices, v], closed: false }
}

export function closeRing(s: DrawState): DrawState {
  return canClose(s) ? { ...s, closed: true } : s
}

export function undoVertex(s: DrawState): DrawState {
  if (s.closed) return { ...s, closed: false }
  return { vertices: s.vertices.slice(0, -1), closed: false }
}

/** The SVG `points` attribute of a ring. */
export function svgPoints(vertices: readonly (readonly number[])[]): string {
  return vertices.map(([x, y]) => `${x},${y}`).join(' ')
}

