// Every parameter of every fixture node, replaced in turn by values of the wrong shape, imports without a crash:
// the node is mapped or kept as a placeholder and the report says what was not mapped. Only ValidationErrors
// (a refused file) may be thrown, never a TypeError.
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { expect, it } from 'vitest'
import { ValidationError } from '@/lib/errors'
import { importN8nWorkflow } from '@/lib/templates/n8n/import'
import { fixturePath, readFixture } from './fixtures'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
const WRONG: Json[] = [null, 42, -1, 'x', '={{ $json[ }}', true, [], {}, [null], { a: null }]

/** Every path into `value` (objects and arrays), the value itself first. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix]
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])))
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]))
  return out
}

function replaced(value: Json, at: (string | number)[], by: Json): Json {
  if (at.length === 0) return by
  const [head, ...rest] = at
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? replaced(v, rest, by) : v))
  return Object.fromEntries(Object.entries(value as Record<string, Json>).map(([k, v]) => [k, k === head ? replaced(v, rest, by) : v]))
}

it('never crashes on parameters of the wrong shape', () => {
  const fixtures = readdirSync(path.dirname(fixturePath('x'))).filter((f) => f.endsWith('.json'))
  let imports = 0
  for (const file of fixtures) {
    const workflow = JSON.parse(readFixture(file)) as { nodes: { parameters: Json }[] }
    for (const node of workflow.nodes) {
      for (const at of paths(node.parameters).slice(1)) {
        for (const wrong of WRONG) {
          const broken = { ...node, parameters: replaced(node.parameters, at, wrong) }
          try {
            const { report } = importN8nWorkflow({ nodes: [broken], connections: {} })
            expect(report.nodes).toHaveLength(1)
          } catch (err) {
            if (!(err instanceof ValidationError)) throw new Error(`${file} ${JSON.stringify(at)} = ${JSON.stringify(wrong)}: ${String(err)}`)
          }
          imports++
        }
      }
    }
  }
  expect(imports).toBeGreaterThan(3000)
})
