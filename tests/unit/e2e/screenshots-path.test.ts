// `npm test` must leave the working tree clean: e2e specs write screenshots through tests/e2e/screenshots.ts, which
// points at docs/screenshots only with AUTERITY_SCREENSHOTS=1. A spec naming docs/screenshots itself would rewrite
// the tracked pictures on every run.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { screenshotDir } from '../../e2e/screenshots'

const dir = path.resolve(import.meta.dirname, '../../e2e')

describe('e2e screenshots', () => {
  it('no spec writes to docs/screenshots directly', () => {
    const offenders = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && f !== 'screenshots.ts')
      .filter((f) => /docs\/screenshots|'screenshots'\)/.test(fs.readFileSync(path.join(dir, f), 'utf8').replace(/^\s*\/\/.*$/gm, '')))
    expect(offenders).toEqual([])
  })

  it('the folder is docs/screenshots only on request', () => {
    const root = path.resolve(dir, '../..')
    expect(path.relative(root, screenshotDir({}))).toBe(path.join('test-results', 'screenshots'))
    expect(path.relative(root, screenshotDir({ AUTERITY_SCREENSHOTS: '0' }))).toBe(path.join('test-results', 'screenshots'))
    expect(path.relative(root, screenshotDir({ AUTERITY_SCREENSHOTS: '1' }))).toBe(path.join('docs', 'screenshots'))
  })
})
