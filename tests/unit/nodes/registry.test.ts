import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { nodeCatalogue } from '@/lib/nodes/catalogue'
import { nodeDefinitions, nodeRegistry } from '@/lib/nodes/registry'

const nodesDir = path.resolve(import.meta.dirname, '../../../lib/nodes')
const dirs = (dir: string) => readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)
// A node type's folder holds its definition.ts: lib/nodes/<type>/, or lib/nodes/<vendor>/<name>/ for families (the
// vendor folder keeps what they share: credential kinds, the client), whose types are named "<vendor>-<name>". A
// family that is no vendor names its folders by their whole type (lib/nodes/retrieval/vector-search).
const TYPE_NAMED_FAMILIES = new Set(['retrieval'])
const folders = dirs(nodesDir).flatMap((d) =>
  existsSync(path.join(nodesDir, d, 'definition.ts')) ? [d] : dirs(path.join(nodesDir, d)).map((sub) => (TYPE_NAMED_FAMILIES.has(d) ? sub : `${d}-${sub}`)),
)

describe('node registry', () => {
  it.each(folders)('lists the folder lib/nodes/%s', (folder) => {
    expect(nodeRegistry.has(folder)).toBe(true)
  })

  it('has unique kebab-case types that match their folders', () => {
    const types = nodeDefinitions.map((d) => d.type)
    expect(new Set(types).size).toBe(types.length)
    for (const t of types) {
      expect(t).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/)
      expect(folders).toContain(t)
    }
  })

  it.each(nodeDefinitions.map((d) => [d.type, d] as const))('%s loads an executor', async (_type, def) => {
    const mod = await def.load()
    expect(typeof mod.execute).toBe('function')
  })
})

describe('nodeCatalogue', () => {
  const catalogue = nodeCatalogue()

  it.each(catalogue.map((e) => [e.type, e] as const))('%s is plain JSON with a JSON Schema for params', (_type, entry) => {
    expect(JSON.parse(JSON.stringify(entry))).toEqual(entry)
    expect(entry.params).toMatchObject({ type: 'object' })
    expect(entry.outputs.length).toBeGreaterThan(0)
  })

  it('marks params-derived outputs and lists the ports for default params', () => {
    const sw = catalogue.find((e) => e.type === 'switch')
    expect(sw).toMatchObject({ dynamicOutputs: true, outputs: [{ name: 'fallback' }] })
  })

  it('carries ui hints and defaults for the inspector', () => {
    const http = catalogue.find((e) => e.type === 'http-request')!
    const props = http.params.properties as Record<string, { ui?: string; default?: unknown }>
    expect(props.headers.ui).toBe('keyValue')
    expect(props.credential.ui).toBe('credential')
    expect(props.method.default).toBe('GET')
    expect(http.defaults).toMatchObject({ method: 'GET', timeoutMs: 30_000 })
    expect(catalogue.find((e) => e.type === 'code')!.params).toMatchObject({ properties: { source: { ui: 'code' } } })
  })

  it('describes triggers', () => {
    expect(catalogue.filter((e) => e.trigger).map((e) => [e.type, e.trigger!.kind])).toEqual([
      ['manual-trigger', 'manual'],
      ['webhook-trigger', 'webhook'],
      ['execute-workflow-trigger', 'subworkflow'],
      ['error-trigger', 'error'],
      ['event-trigger', 'event'],
      ['schedule-trigger', 'schedule'],
      ['rabbitmq-trigger', 'broker'],
      ['nats-trigger', 'broker'],
      ['mqtt-trigger', 'broker'],
      ['twilio-call-trigger', 'messaging'],
      ['twilio-sms-trigger', 'messaging'],
      ['whatsapp-trigger', 'messaging'],
      ['browser-page-monitor', 'monitor'],
    ])
  })
})
