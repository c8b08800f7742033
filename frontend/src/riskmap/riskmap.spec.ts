import { describe, expect, it } from 'vitest'
import { addVertex, canClose, closeRing, emptyDrawing, svgPoints, undoVertex, type DrawState } from './drawing'
import { highestLevel, levelColour } from './levels'

const size = { width: 1600, height: 1000 }

function clicks(points: [number, number][]): DrawState {
  return points.reduce((s, p) => addVertex(s, p, size), emptyDrawing())
}

describe('polygon drawing', () => {
  it('adds rounded, clamped vertices and ignores a repeated click', () => {
    const s = clicks([[10.4, 20.6], [10.4, 20.6], [2000, -5]])
    expect(s.vertices).toEqual([[10, 21], [1600, 0]])
    expect(s.closed).toBe(false)
  })

  it('closes only with three distinct vertices, by clicking near the first one', () => {
    let s = clicks([[100, 100], [300, 100]])
    expect(canClose(s)).toBe(false)
    s = addVertex(s, [105, 104], size) // near the first, but only two vertices: a new vertex
    expect(s.vertices).toHaveLength(3)
    expect(s.closed).toBe(false)
    s = addVertex(s, [103, 98], size)
    expect(s.closed).toBe(true)
    expect(s.vertices).toHaveLength(3)
    expect(addVertex(s, [500, 500], size)).toBe(s) // closed: clicks do nothing
  })

  it('closes with the button, undo reopens then removes vertices', () => {
    let s = closeRing(clicks([[0, 0], [100, 0], [100, 100]]))
    expect(s.closed).toBe(true)
    s = undoVertex(s)
    expect(s).toEqual({ vertices: [[0, 0], [100, 0], [100, 100]], closed: false })
    s = undoVertex(s)
    expect(s.vertices).toEqual([[0, 0], [100, 0]])
    expect(closeRing(s).closed).toBe(false)
    expect(svgPoints(s.vertices)).toBe('0,0 100,0')
  })
})

describe('level colours', () => {
  it('maps each level to the standard 红/橙/黄/蓝 and unassessed to grey', () => {
    expect(levelColour('major')).toMatchObject({ colourLabel: '红', hex: '#FF0000' })
    expect(levelColour('high')).toMatchObject({ colourLabel: '橙', hex: '#FFA500' })
    expect(levelColour('moderate')).toMatchObject({ colourLabel: '黄', hex: '#FFFF00' })
    expect(levelColour('low')).toMatchObject({ colourLabel: '蓝', hex: '#0000FF' })
    expect(levelColour('')).toMatchObject({ label: '未评估', hex: '#9E9E9E' })
    expect(levelColour('bogus').colour).toBe('grey')
  })

  it('a zone takes the highest level of its points', () => {
    expect(highestLevel(['low', 'moderate', 'low'])).toBe('moderate')
    expect(highestLevel(['low', '', 'major', 'high'])).toBe('major')
    expect(highestLevel(['', null])).toBe('')
    expect(highestLevel([])).toBe('')
  })
})
