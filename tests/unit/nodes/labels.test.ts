// Every node type speaks to people: each enum option has a label of its own (never the internal id), and no field
// label is a camelCase id. Walks the registry's catalogue (the JSON Schema the inspector and docs read), so a new
// node type without labels fails here.
import { describe, expect, it } from 'vitest'
import { enumOptions, type JsonSchema } from '@/lib/forms/schema'
import { paramDocs } from '@/lib/forms/param-docs'
import { describeParams, type FieldDescriptor } from '@/lib/forms/schema'
import { nodeCatalogue } from '@/lib/nodes/catalogue'

const CAMEL_ID = /^[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*$/

/** Every sub-schema that lists enum options, with its path. */
function enums(s: JsonSchema, path: string, out: [string, JsonSchema][] = []): [string, JsonSchema][] {
  if (!s || typeof s !== 'object') return out
  if (enumOptions(s) && (s.enum || (s.anyOf ?? s.oneOf)?.length)) out.push([path, s])
  for (const [k, child] of Object.entries(s.properties ?? {})) enums(child, `${path}.${k}`, out)
  if (s.items) enums(s.items, `${path}[]`, out)
  for (const alt of s.anyOf ?? s.oneOf ?? []) if (alt.const === undefined) enums(alt, path, out)
  if (typeof s.additionalProperties === 'object') enums(s.additionalProperties, `${path}.*`, out)
  return out
}

/** Problems with one enum's labels: a missing label, or one that is (or looks like) an internal id. */
function optionProblems(s: JsonSchema): string[] {
  const alts = s.anyOf ?? s.oneOf
  const explicit = (v: string) => s.optionLabels?.[v] ?? alts?.find((a) => a.const === v)?.title
  return enumOptions(s)!.flatMap(({ value }) => {
    const label = explicit(value)
    if (label === undefined) return [`${value}: no label`]
    if (CAMEL_ID.test(label)) return [`${value}: label "${label}" is a camelCase id`]
    // The value itself is a fine label only when it is a word people read (contains, gzip, GET, Ed25519, =), not an
    // abbreviation (gt, md5) or a compound id.
    if (label === value && /^[a-z]/.test(value) && (value.length <= 3 || /[^a-z]/.test(value))) return [`${value}: label is the id`]
    return []
  })
}

const flatten = (fields: FieldDescriptor[]): FieldDescriptor[] =>
  fields.flatMap((f) => [f, ...flatten(f.children ?? []), ...(f.item ? flatten([f.item]) : [])])

const catalogue = nodeCatalogue()

describe('node labels', () => {
  it.each(catalogue.map((e) => [e.type, e] as const))('%s: every enum option has a human label', (_type, entry) => {
    const problems = enums(entry.params as JsonSchema, 'params').flatMap(([path, s]) => optionProblems(s).map((p) => `${path} ${p}`))
    expect(problems).toEqual([])
  })

  it.each(catalogue.map((e) => [e.type, e] as const))('%s: no field label is a camelCase id', (_type, entry) => {
    const labels = flatten(describeParams(entry.params as JsonSchema, entry.credential ? { credential: entry.credential } : {})).map((f) => f.label)
    expect(labels.filter((l) => CAMEL_ID.test(l) || / (ms|mb)$/i.test(l))).toEqual([])
  })

  it('the walk finds the enums it must (a check on the test itself)', () => {
    const code = catalogue.find((e) => e.type === 'code')!
    const ifNode = catalogue.find((e) => e.type === 'if')!
    expect(enums(code.params as JsonSchema, 'params').map(([p]) => p)).toContain('params.mode')
    expect(enums(ifNode.params as JsonSchema, 'params').map(([p]) => p)).toContain('params.conditions[].operator')
    expect(optionProblems({ type: 'string', enum: ['gt', 'runOnceForAllItems', 'GET'] })).toEqual(['gt: no label', 'runOnceForAllItems: no label', 'GET: no label'])
    expect(optionProblems({ type: 'string', enum: ['gt', 'a'], optionLabels: { gt: 'gt', a: 'notEquals' } })).toEqual(['gt: label is the id', 'a: label "notEquals" is a camelCase id'])
  })

  it('the node reference shows the labels', () => {
    const code = catalogue.find((e) => e.type === 'code')!
    const rows = paramDocs(code.params as JsonSchema)
    expect(rows.find((r) => r.name === 'mode')?.type).toContain('Run once for all items')
    expect(rows.find((r) => r.name === 'memoryMb')?.label).toBe('Memory (MB)')
  })
})
