// Test files in an order that keeps both workers busy to the end: the longest files first, by the durations in
// test-durations.json (seconds per file, measured; only the order matters), then the rest in vitest's own order.
// A fresh CI clone has no vitest cache, and vitest then orders files by size, which put a 100-second file last and
// left one worker idle for its whole run. Refresh the table with `node scripts/test-durations.mjs <vitest json>`.
// (JavaScript: vitest.config.ts imports it, and the config loader warns about .ts imports.)
import fs from 'node:fs'
import path from 'node:path'
import { BaseSequencer } from 'vitest/node'

/** @type {Record<string, number>} */
const table = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'test-durations.json'), 'utf8'))

export default class LongestFirst extends BaseSequencer {
  /** @param {import('vitest/node').TestSpecification[]} files */
  async sort(files) {
    const base = await super.sort(files)
    const root = this.ctx.config.root
    /** @param {import('vitest/node').TestSpecification} f */
    const known = (f) => table[`${f.project.name}:${path.relative(root, f.moduleId)}`] ?? 0
    const position = new Map(base.map((f, i) => [f, i]))
    /** @param {import('vitest/node').TestSpecification} f */
    const at = (f) => position.get(f) ?? 0
    // Groups and projects keep the base order (unit before integration); inside one, longer known files go first.
    return [...base].sort((a, b) => {
      const group = a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder
      if (group !== 0) return group
      if (a.project.name !== b.project.name) return at(a) - at(b)
      return known(b) - known(a) || at(a) - at(b)
    })
  }
}
