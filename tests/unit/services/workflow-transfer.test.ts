// The workflow file's pure rules: the envelope's checks (each failure a 400 naming the field), node id renewal,
// credential ids out to references and back, names and file names.
import { describe, expect, it } from 'vitest'
import { workflowGraphSchema, type WorkflowGraphInput } from '@/lib/engine/graph-schema'
import { AppError } from '@/lib/errors'
import {
  cleanName, exportFileName, fromCredentialRefs, MAX_WORKFLOW_FILE_BYTES, parseWorkflowFile, renewIds, toCredentialRefs,
} from '@/lib/services/workflow-file'
import { importWorkflowBody } from '@/lib/services/workflow-transfer'

const graph = (input: WorkflowGraphInput) => workflowGraphSchema.parse(input)

const sample = graph({
  nodes: [
    { id: 'trigger', type: 'manual-trigger', name: 'Start', position: { x: 0, y: 0 } },
    { id: 'mail', type: 'send-email', name: 'Mail', params: { credential: 'cred-smtp', to: 'a@b.c' } },
    { id: 'mail2', type: 'send-email', name: 'Mail again', params: { credential: 'cred-smtp' } },
    { id: 'http', type: 'http-request', name: 'HTTP', params: { url: 'http://x', credential: 'cred-bearer' } },
    { id: 'plain', type: 'http-request', name: 'HTTP plain', params: { url: 'http://x' } },
    { id: 'expr', type: 'http-request', name: 'HTTP chosen', params: { url: 'http://x', credential: '{{ $json.credentialId }}' } },
  ],
  edges: [
    { id: 'trigger:main->mail:main', source: 'trigger', target: 'mail' },
    { source: 'mail', target: 'http' },
  ],
  notes: [{ id: 'note1', text: 'hi', position: { x: 1, y: 2 } }],
})

const credentialParam = (type: string) => (['send-email', 'http-request'].includes(type) ? 'credential' : undefined)

const file = (patch: Record<string, unknown> = {}, workflow: Record<string, unknown> = {}) => ({
  format: 'auterity.workflow',
  formatVersion: 1,
  exportedAt: '2026-11-30T12:00:00.000Z',
  workflow: { name: 'Flow', description: '', settings: {}, graph: { nodes: [], edges: [], notes: [] }, ...workflow },
  credentials: [],
  ...patch,
})

function refusal(input: unknown): { status: number; fields: Record<string, string>; message: string } {
  try {
    parseWorkflowFile(input)
  } catch (err) {
    if (err instanceof AppError) return { status: err.status, fields: err.fields ?? {}, message: err.message }
    throw err
  }
  throw new Error('accepted')
}

describe('parseWorkflowFile', () => {
  it('accepts an exported file, as JSON or as its text', () => {
    expect(parseWorkflowFile(file()).workflow.name).toBe('Flow')
    expect(parseWorkflowFile(JSON.stringify(file())).format).toBe('auterity.workflow')
  })

  const manyNodes = Array.from({ length: 20_001 }, (_, i) => ({ id: `n${i}`, type: 'no-op', name: `N${i}` }))
  it.each([
    ['malformed JSON', '{"format": "auterity.workflow",', 'file', /not valid JSON/],
    ['empty text', '   ', 'file', /empty/],
    ['not an object', '[1, 2]', 'file', /JSON object/],
    ['another format', file({ format: 'n8n' }), 'format', /must be "auterity.workflow" \(got "n8n"\)/],
    ['no format', { workflow: {} }, 'format', /got nothing/],
    ['a newer format version', file({ formatVersion: 2 }), 'formatVersion', /must be 1 \(got 2\): the file comes from a newer release/],
    ['a format version as text', file({ formatVersion: '1' }), 'formatVersion', /must be 1 \(got "1"\)/],
    ['too many nodes', file({}, { graph: { nodes: manyNodes } }), 'workflow.graph.nodes', /more than 20000 nodes/],
    ['a node without a name', file({}, { graph: { nodes: [{ id: 'a', type: 'no-op' }] } }), 'workflow.graph.nodes.0.name', /./],
    ['a credential ref listed twice', file({ credentials: [{ ref: 'c', kind: 'smtp', name: 'a' }, { ref: 'c', kind: 'smtp', name: 'b' }] }), 'credentials.1.ref', /twice/],
    ['__proto__ in params', JSON.parse('{"format":"auterity.workflow","formatVersion":1,"workflow":{"name":"x","graph":{"nodes":[{"id":"a","type":"set","name":"A","params":{"__proto__":{"polluted":1}}}]}}}'), 'file.workflow.graph.nodes.0.params.__proto__', /reserved name "__proto__"/],
    ['constructor at the top', { ...file(), constructor: { prototype: {} } }, 'file.constructor', /reserved name "constructor"/],
    ['prototype in text', '{"format":"auterity.workflow","formatVersion":1,"workflow":{"prototype":1}}', 'file.workflow.prototype', /reserved/],
    ['a NUL character', '{"format":"auterity.workflow","formatVersion":1,"workflow":{"name":"a\\u0000b"}}', 'file.workflow.name', /NUL/],
  ])('refuses %s with a 400 naming the field', (_what, input, field, message) => {
    const r = refusal(input)
    expect(r.status).toBe(400)
    expect(Object.keys(r.fields)).toEqual([field])
    expect(r.fields[field]).toMatch(message)
    expect(r.message.startsWith(`${field}: `)).toBe(true)
  })

  it('refuses a text larger than the limit with a 413 before parsing it', () => {
    const r = refusal(`"${'x'.repeat(MAX_WORKFLOW_FILE_BYTES)}"`)
    expect(r).toMatchObject({ status: 413, fields: { file: 'too large' } })
  })

  it('leaves Object.prototype alone while refusing', () => {
    refusal(JSON.parse('{"__proto__":{"polluted":true}}'))
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('renewIds', () => {
  it('gives nodes and notes new ids and points edges at them, keeping everything else', () => {
    let n = 0
    const { graph: out, nodeIds } = renewIds(sample, (p) => `${p}_${++n}`)
    expect(out.nodes.map((x) => x.id)).toEqual(['n_1', 'n_2', 'n_3', 'n_4', 'n_5', 'n_6'])
    expect(nodeIds.get('mail')).toBe('n_2')
    expect(out.edges).toEqual([
      { id: 'n_1:main->n_2:main', source: 'n_1', sourcePort: 'main', target: 'n_2', targetPort: 'main' },
      { source: 'n_2', sourcePort: 'main', target: 'n_4', targetPort: 'main' },
    ])
    expect(out.notes).toEqual([{ ...sample.notes[0], id: 'note_7' }])
    expect(out.nodes.map(({ id: _, ...rest }) => rest)).toEqual(sample.nodes.map(({ id: _, ...rest }) => rest))
  })

  it('makes ids that do not repeat between imports', () => {
    const a = renewIds(sample).graph.nodes.map((x) => x.id)
    const b = renewIds(sample).graph.nodes.map((x) => x.id)
    expect(new Set([...a, ...b]).size).toBe(12)
  })
})

describe('credential references', () => {
  it('replaces each credential id by a ref numbered in order of first use, one ref per credential', () => {
    const { graph: out, refs } = toCredentialRefs(sample, credentialParam)
    expect(refs).toEqual([{ ref: 'credential-1', credentialId: 'cred-smtp' }, { ref: 'credential-2', credentialId: 'cred-bearer' }])
    expect(out.nodes.map((x) => x.params.credential)).toEqual([undefined, { $credentialRef: 'credential-1' }, { $credentialRef: 'credential-1' }, { $credentialRef: 'credential-2' }, undefined, '{{ $json.credentialId }}'])
    expect(JSON.stringify(out)).not.toContain('cred-smtp')
    expect(sample.nodes[1].params.credential).toBe('cred-smtp') // the input is not changed
  })

  it('maps refs back to this workspace\'s ids, removes the unmapped ones and says which nodes used each', () => {
    const exported = toCredentialRefs(sample, credentialParam).graph
    const { graph: out, usedBy } = fromCredentialRefs(exported, new Set(['credential-1', 'credential-2']), new Map([['credential-1', 'mine']]))
    expect(out.nodes.map((x) => x.params.credential)).toEqual([undefined, 'mine', 'mine', undefined, undefined, '{{ $json.credentialId }}'])
    expect('credential' in out.nodes[3].params).toBe(false)
    expect(out.nodes[3].params.url).toBe('http://x')
    expect(usedBy.get('credential-1')).toEqual([{ id: 'mail', name: 'Mail' }, { id: 'mail2', name: 'Mail again' }])
    expect(usedBy.get('credential-2')).toEqual([{ id: 'http', name: 'HTTP' }])
  })

  it('refuses a ref the file does not list, naming the param', () => {
    const exported = toCredentialRefs(sample, credentialParam).graph
    expect(() => fromCredentialRefs(exported, new Set(['credential-1']), new Map())).toThrow(/workflow\.graph\.nodes\.3\.params\.credential: credential ref "credential-2" is not listed/)
  })
})

describe('names', () => {
  it.each([
    ['Sync leads', 'Sync leads'],
    ['  <b>Bold</b> & "quoted"  ', '<b>Bold</b> & "quoted"'],
    ['Tab\there\u0007\u001b[31m red', 'Tabhere[31m red'],
    ['Right\u202eto left', 'Rightto left'],
  ])('cleanName(%j) = %j', (raw, clean) => {
    expect(cleanName(raw, 'workflow.name')).toBe(clean)
  })

  it.each([['\u0001\u0002 \n'], ['x'.repeat(201)]])('refuses %j naming the field', (raw) => {
    expect(() => cleanName(raw, 'name')).toThrow(/^name: /)
  })

  it.each([
    ['Sync new leads → CRM!', 'sync-new-leads-crm.auterity.json'],
    ['Café <script>', 'cafe-script.auterity.json'],
    ['日本語', 'workflow.auterity.json'],
    ['a'.repeat(80), `${'a'.repeat(60)}.auterity.json`],
  ])('exportFileName(%j) = %j', (name, fileName) => {
    expect(exportFileName(name)).toBe(fileName)
  })
})

describe('the import body', () => {
  it('takes the file with an optional name and credential map, refusing reserved keys in the map', () => {
    expect(importWorkflowBody.parse({ file: file(), name: 'x', credentialMap: { 'credential-1': 'abc' } }).credentialMap).toEqual({ 'credential-1': 'abc' })
    expect(importWorkflowBody.safeParse({}).error?.issues[0]).toMatchObject({ path: ['file'] })
    const polluted = importWorkflowBody.safeParse(JSON.parse('{"file":{},"credentialMap":{"__proto__":"x"}}'))
    expect(polluted.error?.issues[0]).toMatchObject({ path: ['credentialMap'], message: expect.stringMatching(/reserved names/) })
  })
})
