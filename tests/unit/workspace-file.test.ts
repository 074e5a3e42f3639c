// The workspace file's pure rules: every bad input is a 400 (or 413) naming the field; graphs go out with refs and
// come back with the importing workspace's ids; name conflicts are planned with their choices; the streamed text is
// one JSON document the parser takes back.
import { describe, expect, it } from 'vitest'
import type { WorkflowGraph } from '../../lib/engine/graph-schema'
import { AppError } from '../../lib/errors'
import {
  freeName, graphForFile, graphFromFile, MAX_WORKSPACE_FILE_BYTES, parseWorkspaceFile, planKind, workspaceFileName, workspaceFileText,
  type WorkspaceFile,
} from '../../lib/services/workspace-file'

const graphNode = (id: string, type = 'no-op', params: Record<string, unknown> = {}) => ({ id, type, name: `Node ${id}`, params })
const graph = (...nodes: Array<ReturnType<typeof graphNode>>) => ({ nodes, edges: [], notes: [] })

function workflow(ref: string, name: string, overrides: Record<string, unknown> = {}) {
  return { ref, name, currentVersion: 1, versions: [{ number: 1, graph: graph(graphNode('a')) }], ...overrides }
}

function template(ref: string, name: string, overrides: Record<string, unknown> = {}) {
  return { ref, name, category: 'other', currentVersion: 1, versions: [{ number: 1, graph: graph(graphNode('a')) }], ...overrides }
}

function file(overrides: Record<string, unknown> = {}) {
  return { format: 'auterity.workspace', formatVersion: 1, workspace: { name: 'W' }, workflows: [workflow('workflow-1', 'One')], templates: [], credentials: [], ...overrides }
}

/** The 400's one field and its message, or a failure when parsing succeeds. */
function refusal(input: unknown): { status: number; field: string; message: string } {
  try {
    parseWorkspaceFile(input)
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    const [field, message] = Object.entries(err.fields ?? {})[0]
    return { status: err.status, field, message }
  }
  throw new Error('parsed without a refusal')
}

describe('parseWorkspaceFile', () => {
  it('takes a file as JSON or as its text, filling defaults', () => {
    const parsed = parseWorkspaceFile(JSON.stringify(file()))
    expect(parsed.workflows[0]).toMatchObject({ ref: 'workflow-1', description: '', settings: {}, active: false, publishedVersion: null })
    expect(parsed.workflows[0].versions[0]).toMatchObject({ number: 1, message: '' })
    expect(parseWorkspaceFile(file()).templates).toEqual([])
  })

  it.each([
    ['malformed JSON', '{"format": "auterity.workspace", "workflows": [', 'file', 'is not valid JSON'],
    ['empty text', '  \n', 'file', 'is empty'],
    ['an array', [], 'file', 'must be a JSON object (an exported Auterity workspace)'],
    ['no format', { formatVersion: 1 }, 'format', 'must be "auterity.workspace" (got nothing): this is not an exported Auterity workspace'],
    ['a workflow file', { ...file(), format: 'auterity.workflow' }, 'format', 'must be "auterity.workspace" (got "auterity.workflow"): this is not an exported Auterity workspace'],
    ['a newer version', file({ formatVersion: 2 }), 'formatVersion', 'must be 1 (got 2): the file comes from a newer release'],
    ['a version as text', file({ formatVersion: '1' }), 'formatVersion', 'must be 1 (got "1")'],
    ['__proto__ in a graph', `{"format":"auterity.workspace","formatVersion":1,"workspace":{"name":"W"},"workflows":[{"ref":"w","name":"N","currentVersion":1,"versions":[{"number":1,"graph":{"nodes":[{"id":"a","type":"set","name":"A","params":{"__proto__":{"x":1}}}]}}]}]}`, 'file.workflows.0.versions.0.graph.nodes.0.params.__proto__', 'reserved name "__proto__" is not allowed (__proto__, prototype, constructor)'],
    ['constructor in the settings', file({ workflows: [workflow('w', 'N', { settings: { constructor: { prototype: {} } } })] }), 'file.workflows.0.settings.constructor', 'reserved name "constructor" is not allowed (__proto__, prototype, constructor)'],
    ['a NUL in a name', `{"format":"auterity.workspace","formatVersion":1,"workspace":{"name":"W\\u0000"}}`, 'file.workspace.name', 'must not contain NUL characters'],
    ['no workspace', { ...file(), workspace: undefined }, 'workspace', expect.stringMatching(/object/)],
    ['a workflow without versions', file({ workflows: [workflow('w', 'N', { versions: [] })] }), 'workflows.0.versions', expect.stringMatching(/>=1/)],
    ['20,001 nodes', file({ workflows: [workflow('w', 'Big', { versions: [{ number: 1, graph: graph(...Array.from({ length: 20_001 }, (_, i) => graphNode(`n${i}`))) }] })] }), 'workflows.0.versions.0.graph.nodes', 'more than 20000 nodes'],
    ['a ref listed twice', file({ workflows: [workflow('w', 'A'), workflow('w', 'B')] }), 'workflows.1.ref', 'ref "w" is listed twice'],
    ['a version listed twice', file({ workflows: [workflow('w', 'A', { versions: [{ number: 1, graph: graph() }, { number: 1, graph: graph() }] })] }), 'workflows.0.versions.1.number', 'version "1" is listed twice'],
    ['a current version that is not the newest', file({ workflows: [workflow('w', 'A', { versions: [{ number: 1, graph: graph() }, { number: 2, graph: graph() }] })] }), 'workflows.0.currentVersion', 'must be the newest version (2)'],
    ['a published version not in the file', file({ workflows: [workflow('w', 'A', { publishedVersion: 4 })] }), 'workflows.0.publishedVersion', 'version 4 is not in versions'],
    ['a template current version not in the file', file({ templates: [template('t', 'T', { currentVersion: 3 })] }), 'templates.0.currentVersion', 'version 3 is not in versions'],
    ['two templates of one name', file({ templates: [template('t1', 'T'), template('t2', 'T')] }), 'templates.1.name', 'template name "T" is listed twice'],
    ['a template parameter of no known type', file({ templates: [template('t', 'T', { versions: [{ number: 1, graph: graph(), parameters: [{ name: 'x', type: 'date' }] }] })] }), 'templates.0.versions.0.parameters.0.type', expect.stringMatching(/string/)],
    ['a credential ref the file does not list', file({ workflows: [workflow('w', 'A', { versions: [{ number: 1, graph: graph(graphNode('m', 'send-email', { credential: { $credentialRef: 'credential-9' } })) }] })] }), 'workflows.0.versions.0.graph.nodes.0.params.credential', 'credential ref "credential-9" is not listed in credentials'],
  ])('%s: 400 naming %s', (_what, input, field, message) => {
    expect(refusal(input)).toEqual({ status: 400, field, message })
  })

  it('refuses text over 100 MB with 413 before parsing it', () => {
    const text = `{"format":"auterity.workspace","pad":"${'x'.repeat(MAX_WORKSPACE_FILE_BYTES)}"}`
    expect(refusal(text)).toEqual({ status: 413, field: 'file', message: 'too large' })
  })

  it('takes a graph of 10,000 nodes: the limit is the graph\'s own, 20,000', () => {
    const nodes = Array.from({ length: 10_000 }, (_, i) => graphNode(`n${i}`))
    const parsed = parseWorkspaceFile(file({ workflows: [workflow('w', 'Large', { versions: [{ number: 1, graph: graph(...nodes) }] })] }))
    expect(parsed.workflows[0].versions[0].graph.nodes).toHaveLength(10_000)
  })

  it('keeps markup and control characters in names as data: the import cleans them (planKind)', () => {
    const parsed = parseWorkspaceFile(file({ workflows: [workflow('w', '<b>Bold</b>\u0007\u202e')] }))
    expect(parsed.workflows[0].name).toBe('<b>Bold</b>\u0007\u202e')
    expect(planKind('workflow', parsed.workflows, [], {}).plans[0].planned).toMatchObject({ name: '<b>Bold</b>\u0007\u202e', as: '<b>Bold</b>', action: 'create' })
  })

  it('does not pollute Object.prototype', () => {
    refusal('{"format":"auterity.workspace","formatVersion":1,"__proto__":{"polluted":true}}')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('planKind', () => {
  const entries = [workflow('w1', 'Sync'), workflow('w2', 'Report'), workflow('w3', 'New'), workflow('w4', 'Twice'), workflow('w5', 'Twice')]
  const existing = [{ id: 'e1', name: 'Sync' }, { id: 'e2', name: 'Report' }, { id: 'e3', name: 'Report (2)' }, { id: 'e4', name: 'Twice' }]

  it('lists each name that exists here once, with the choices it allows, and plans nothing for them', () => {
    const { plans, conflicts } = planKind('workflow', entries, existing, {})
    expect(conflicts).toEqual([
      { type: 'workflow', name: 'Sync', existingIds: ['e1'], choices: ['skip', 'rename', 'replace'], resolution: null },
      { type: 'workflow', name: 'Report', existingIds: ['e2'], choices: ['skip', 'rename', 'replace'], resolution: null },
      { type: 'workflow', name: 'Twice', existingIds: ['e4'], choices: ['skip', 'rename'], resolution: null },
    ])
    expect(plans.map((p) => [p.planned.as, p.planned.action])).toEqual([['Sync', 'conflict'], ['Report', 'conflict'], ['New', 'create'], ['Twice', 'conflict'], ['Twice', 'conflict']])
  })

  it('skip points at the namesake, rename takes the first free " (n)", replace takes the namesake\'s id', () => {
    const { plans } = planKind('workflow', entries, existing, { Sync: 'replace', Report: 'rename', Twice: 'rename' })
    expect(plans.map((p) => [p.planned.as, p.planned.action, p.planned.id])).toEqual([
      ['Sync', 'replace', 'e1'], ['Report (3)', 'rename', null], ['New', 'create', null], ['Twice (2)', 'rename', null], ['Twice (3)', 'rename', null],
    ])
    expect(planKind('workflow', entries.slice(0, 1), existing, { Sync: 'skip' }).plans[0].planned).toMatchObject({ action: 'skip', id: 'e1' })
  })

  it.each([
    ['a name with no namesake', { New: 'skip' as const }, 'resolutions.workflows.New', 'no workflow named "New" in the file has a namesake in this workspace'],
    ['replace onto an ambiguous name', { Twice: 'replace' as const }, 'resolutions.workflows.Twice', '"Twice" names several workflows here or in the file: choose skip or rename'],
  ])('refuses %s', (_what, resolutions, field, message) => {
    expect(() => planKind('workflow', entries, existing, resolutions)).toThrow(expect.objectContaining({ status: 400, fields: { [field]: message } }))
  })

  it('reads resolutions as own keys only: a workflow named "toString" is a conflict, not a function', () => {
    const { conflicts } = planKind('workflow', [workflow('w', 'toString')], [{ id: 'e', name: 'toString' }], {})
    expect(conflicts[0].resolution).toBeNull()
  })

  it('refuses a name of control characters only, naming it', () => {
    expect(() => planKind('template', [template('t', '\u0001\u0002')], [], {})).toThrow(expect.objectContaining({ fields: { 'templates.0.name': 'is empty once control characters are removed' } }))
  })
})

describe('graphs out and back', () => {
  const credentialParam = (type: string) => (type === 'send-email' ? 'credential' : undefined)
  const source = graph(
    graphNode('m', 'send-email', { credential: 'cred-a', to: 'x@example.com' }),
    graphNode('n', 'send-email', { credential: 'cred-gone' }),
    graphNode('call', 'execute-workflow', { workflowId: 'wf-child', version: 'current' }),
    graphNode('dyn', 'execute-workflow', { workflowId: '{{ $json.id }}' }),
    graphNode('away', 'execute-workflow', { workflowId: 'wf-deleted' }),
  ) as unknown as WorkflowGraph

  it('goes out with credential and workflow refs (an expression and an id no longer there stay), and comes back with the new ids', () => {
    const credentialRefs = new Map([['cred-a', 'credential-1'], ['cred-gone', 'credential-2']])
    const out = graphForFile(source, credentialParam, (id) => credentialRefs.get(id)!, (id) => (id === 'wf-child' ? 'workflow-2' : undefined))
    expect(out.nodes.map((n) => n.params)).toEqual([
      { credential: { $credentialRef: 'credential-1' }, to: 'x@example.com' },
      { credential: { $credentialRef: 'credential-2' } },
      { workflowId: 'workflow-2', version: 'current' },
      { workflowId: '{{ $json.id }}' },
      { workflowId: 'wf-deleted' },
    ])
    expect(source.nodes[0].params.credential).toBe('cred-a')

    const back = graphFromFile(out, new Set(['credential-1', 'credential-2']), new Map([['credential-1', 'cred-b']]), new Map([['workflow-2', 'wf-b']]))
    expect(back.nodes.map((n) => [n.id, n.params])).toEqual([
      ['m', { credential: 'cred-b', to: 'x@example.com' }],
      ['n', {}],
      ['call', { workflowId: 'wf-b', version: 'current' }],
      ['dyn', { workflowId: '{{ $json.id }}' }],
      ['away', { workflowId: 'wf-deleted' }],
    ])
  })
})

describe('workspaceFileText', () => {
  /** Entries as the export reads them (loosely typed: the parser below is what checks them). */
  async function* each(...items: unknown[]): AsyncGenerator<never> {
    yield* items as never[]
  }

  it('streams one JSON document that parses back to the same file, credentials named after the graphs', async () => {
    const credentials: WorkspaceFile['credentials'] = []
    const chunks: string[] = []
    const wf = { ref: 'workflow-1', name: 'A "quoted" name', description: '', settings: { maxConcurrency: 2 }, active: true, currentVersion: 2, publishedVersion: 1, templateId: null, templateVersion: null }
    for await (const chunk of workspaceFileText({
      workspace: { name: 'W' },
      exportedAt: '2026-01-01T00:00:00.000Z',
      workflows: each(
        { entry: wf, versions: each({ number: 1, graph: graph(graphNode('a')), message: 'one' }, { number: 2, graph: graph(graphNode('a'), graphNode('b')), message: 'two' }) },
        { entry: { ...wf, ref: 'workflow-2', name: 'Empty history?', currentVersion: 1, publishedVersion: null }, versions: each({ number: 1, graph: graph(), message: '' }) },
      ),
      templates: each({ entry: { ref: 'template-1', name: 'T', description: 'd', category: 'ai', tags: ['x'], currentVersion: 1 }, versions: each({ number: 1, graph: graph(), parameters: [], credentials: [], testCases: [], changelog: 'c' }) }),
      credentials: () => credentials,
    })) {
      chunks.push(chunk)
      if (chunks.length === 1) credentials.push({ ref: 'credential-1', name: 'Late', kind: 'smtp' })
    }
    expect(chunks.length).toBeGreaterThan(5)
    const parsed = parseWorkspaceFile(chunks.join(''))
    expect(parsed.workflows.map((w) => [w.name, w.versions.map((v) => v.message)])).toEqual([['A "quoted" name', ['one', 'two']], ['Empty history?', ['']]])
    expect(parsed.templates[0]).toMatchObject({ ref: 'template-1', tags: ['x'], versions: [{ changelog: 'c' }] })
    expect(parsed.credentials).toEqual([{ ref: 'credential-1', name: 'Late', kind: 'smtp' }])
  })

  it('writes an empty workspace as a valid file', async () => {
    let text = ''
    for await (const chunk of workspaceFileText({ workspace: { name: 'Empty' }, exportedAt: 'now', workflows: each(), templates: each(), credentials: () => [] })) text += chunk
    expect(parseWorkspaceFile(text)).toMatchObject({ workspace: { name: 'Empty' }, workflows: [], templates: [], credentials: [] })
  })
})

describe('names', () => {
  it('freeName takes the first free suffix and remembers it', () => {
    const taken = new Set(['A', 'A (2)'])
    expect([freeName('A', taken), freeName('A', taken), freeName('B', taken)]).toEqual(['A (3)', 'A (4)', 'B'])
    expect(freeName('x'.repeat(200), new Set(['x'.repeat(200)]))).toHaveLength(200)
  })

  it.each([
    ['Acme Corp', 'acme-corp.auterity-workspace.json'],
    ['<script>', 'script.auterity-workspace.json'],
    ['日本', 'workspace.auterity-workspace.json'],
  ])('workspaceFileName(%s) = %s', (name, expected) => {
    expect(workspaceFileName(name)).toBe(expected)
  })
})
