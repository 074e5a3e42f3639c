// The node types bench/nodes-rss.ts measures: params, the items fed in, and for Merge the helper nodes and edges.
// The measured node is "node", fed by the trigger "start" unless `edges` say otherwise.
import type { Item } from '../lib/engine/types'
import { nodeDefinitions } from '../lib/nodes/registry'

export interface NodeCase {
  name: string
  type: string
  params: Record<string, unknown>
  items: number
  make: (i: number) => Item
  helpers?: { id: string; type: string; params: Record<string, unknown> }[]
  /** [source, target, targetPort?] */
  edges?: [string, string, string?][]
  note?: string
}

const MILLION = 1_000_000
/** Replaced by the local server's origin in the case's process. */
export const ORIGIN = '$ORIGIN'

/** An order-like item: a key with 1,000 values, 5,000 distinct emails, a status, an amount and two lines. */
const order = (i: number): Item => ({
  i,
  key: i % 1000,
  status: i % 3 === 0 ? 'paid' : 'open',
  email: `u${i % 5000}@example.com`,
  amount: i % 97,
  lines: [{ sku: 'A' }, { sku: 'B' }],
})

/** The node's first documented example: its params, and its input items cycled (each with its number added). */
function fromExample(type: string): Pick<NodeCase, 'type' | 'params' | 'make'> {
  const example = nodeDefinitions.find((d) => d.type === type)?.docs?.examples[0]
  const input = example?.input
  if (!example || !Array.isArray(input) || input.length === 0) throw new Error(`${type} has no example with input items`)
  return { type, params: example.params ?? {}, make: (i) => ({ ...input[i % input.length], i }) }
}

const simple = (name: string, type: string, params: Record<string, unknown>, note?: string): NodeCase => ({ name, type, params, items: MILLION, make: order, note })

export const NODE_CASES: NodeCase[] = [
  simple('no-op', 'no-op', {}, 'baseline: the engine, the trigger and the store alone'),
  simple('set', 'set', { fields: [{ name: 'copy', value: '{{ $json.amount }}' }, { name: 'tag', value: 'bench' }] }),
  simple('if', 'if', { conditions: [{ left: '{{ $json.status }}', operator: 'equals', right: 'paid' }] }),
  simple('switch', 'switch', { rules: ['paid', 'open'].map((right) => ({ left: '{{ $json.status }}', operator: 'equals', right })) }),
  simple('filter', 'filter', { conditions: [{ left: '{{ $json.status }}', operator: 'equals', right: 'paid' }] }),
  simple('sort', 'sort', { sortBy: [{ field: 'amount', order: 'desc' }] }, '100,000 sorted in memory at a time, runs spilled to temporary files and merged'),
  simple('limit', 'limit', { maxItems: 1000, keep: 'last' }),
  simple('split-out', 'split-out', { field: 'lines', include: 'allOtherFields' }, '2 items out per item in'),
  simple('aggregate', 'aggregate', { fields: [{ field: 'key' }] }, 'its one output item holds a list of all 1,000,000 values'),
  simple('summarize', 'summarize', { groupBy: ['key'], aggregations: [{ operation: 'count' }, { operation: 'sum', field: 'amount' }] }, '1,000 groups'),
  simple('remove-duplicates', 'remove-duplicates', { compare: 'selectedFields', fields: ['email'], history: 'run' }, '5,000 distinct keys'),
  simple('code (each item)', 'code', { mode: 'runOnceForEachItem', source: 'return { i: $json.i, twice: $json.amount * 2 }' }, 'isolated-vm in this process'),
  simple(
    'code (all items)',
    'code',
    { source: '$state.sum = ($state.sum ?? 0) + items.reduce((s, x) => s + x.amount, 0); return items.map((x) => ({ i: x.i, amount: x.amount }))' },
    'once per page of 1,000, with $state; isolated-vm in this process',
  ),
  {
    ...simple('http-request', 'http-request', { url: `${ORIGIN}/items/{{ $json.i }}`, concurrency: 10 }),
    items: 100_000,
    note: '100,000 requests (not 1,000,000: ~20 s at this rate) to a 127.0.0.1 server in another process, through the guarded client',
  },
  {
    ...simple('merge (append)', 'merge', { mode: 'append' }, 'the trigger feeds input1 and input2: 2,000,000 items out'),
    edges: [['start', 'node', 'input1'], ['start', 'node', 'input2']],
  },
  {
    ...simple('merge (byPosition)', 'merge', { mode: 'byPosition' }, 'the trigger feeds input1 and input2 in lockstep'),
    edges: [['start', 'node', 'input1'], ['start', 'node', 'input2']],
  },
  {
    ...simple('merge (byKey)', 'merge', { mode: 'byKey', field1: 'key', field2: 'i' }, 'input1: 1,000,000 items, input2: the first 1,000 (a Limit), held'),
    helpers: [{ id: 'lookup', type: 'limit', params: { maxItems: 1000 } }],
    edges: [['start', 'node', 'input1'], ['start', 'lookup'], ['lookup', 'node', 'input2']],
  },
  simple('convert-to-file (csv)', 'convert-to-file', { operation: 'csv', fileName: 'orders.csv', columns: ['i', 'key', 'status', 'email', 'amount'] }, 'one CSV file of every item, streamed page by page into the file store (a temporary folder)'),
  simple('convert-to-file (xlsx)', 'convert-to-file', { operation: 'xlsx', fileName: 'orders.xlsx', columns: ['i', 'key', 'status', 'email', 'amount'] }, "one XLSX workbook of every item, exceljs's streaming writer"),
  { name: 'date-time', items: MILLION, ...fromExample('date-time') },
  { name: 'crypto', items: MILLION, ...fromExample('crypto') },
  { name: 'html', items: 200_000, ...fromExample('html'), note: '200,000 items (each parses a small page: a million took over 10 minutes on the loaded dev box)' },
  { name: 'xml', items: 200_000, ...fromExample('xml'), note: '200,000 items (each parses a small document)' },
]
