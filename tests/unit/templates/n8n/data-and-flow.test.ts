// Split Out, Aggregate, Summarize, Sort, Limit, Remove Duplicates v1/v1.1/v2, Date & Time v1/v2, Crypto, HTML, XML,
// Split in Batches v1/v3 (loop ports), Wait v1/v1.1, Stop and Error, Respond to Webhook, Execute Workflow, an
// unknown type kept as a placeholder with its settings, and a sticky note: exact params, edges and report entries.
import { describe, expect, it } from 'vitest'
import { importN8nWorkflow } from '@/lib/templates/n8n/import'
import { expectValidGraph, importFixture, PLACEHOLDER } from './fixtures'

const imported = importFixture('data-and-flow.json')
const { node, entry, reasons } = imported

describe('data and flow nodes', () => {
  it('produce a graph our API accepts, with the loop on done/loop ports and its back edge', () => {
    expectValidGraph(imported.graph)
    expect(imported.report.summary).toEqual({ nodes: 34, mapped: 27, placeholders: 6, stickyNotes: 1, unmappedEntries: 28 })
    expect(imported.edges()).toEqual(
      expect.arrayContaining(['XML:main -> Loop:main', 'Loop:done -> Done:main', 'Loop:loop -> Wait:main', 'Wait:main -> Loop:main', 'Old batches:loop -> Fail:main', 'Mystery:error -> Mystery error:main']),
    )
  })

  it.each([
    ['Split Out', 'split-out', { field: 'lines', include: 'allOtherFields', destination: 'line' }, [['parameters.fieldToSplitOut', 'splitting several lists at once has no equivalent here: only "lines" is split']]],
    [
      'Aggregate',
      'aggregate',
      { aggregate: 'individualFields', fields: [{ field: 'email', outputName: '' }, { field: 'id', outputName: 'ids' }], keepMissing: true },
      [['parameters.options.mergeLists', 'merging lists into one has no equivalent here: each value (a list too) is one entry']],
    ],
    ['Aggregate all', 'aggregate', { aggregate: 'allItemData', destination: 'rows' }, []],
    [
      'Summarize',
      'summarize',
      {
        groupBy: ['customer', 'region'],
        aggregations: [
          { operation: 'sum', field: 'total' },
          { operation: 'concatenate', field: 'name', outputName: 'concatenated_name', separator: ' | ' },
          { operation: 'count', field: 'id' },
        ],
      },
      [['parameters.fieldsToSummarize.values.2.aggregation', 'the aggregation append has no equivalent here; it was left out']],
    ],
    ['Sort', 'sort', { sortBy: [{ field: 'total', order: 'desc' }, { field: 'name', order: 'asc' }] }, []],
    ['Sort random', 'no-op', {}, [['parameters.type', 'sorting by random has no equivalent here'], ['type', PLACEHOLDER]]],
    ['Limit', 'limit', { maxItems: 5, keep: 'last' }, []],
    ['Dedupe v1', 'remove-duplicates', { compare: 'selectedFields', fields: ['email'] }, []],
    ['Dedupe v1.1', 'remove-duplicates', { compare: 'selectedFields', fields: ['email', 'phone'] }, []],
    [
      'Dedupe v2 history',
      'no-op',
      {},
      [
        ['parameters.operation', 'removeItemsRepeatedWithinPreviousExecutions has no equivalent here (our history mode remembers whole items or fields, not a computed value)'],
        ['type', PLACEHOLDER],
        ['parameters.dedupeValue', 'not supported here'],
      ],
    ],
    ['Add days', 'date-time', { operation: 'add', source: 'value', value: '{{ $json.createdAt }}', amount: 3, unit: 'days', outputField: 'due' }, []],
    ['Format date', 'date-time', { operation: 'format', source: 'value', value: '{{ $json.due }}', outputFormat: 'custom', outputPattern: 'dd.MM.yyyy', outputField: 'formattedDate' }, []],
    ['Now', 'date-time', { operation: 'format', source: 'value', value: '{{ $now }}', outputField: 'now' }, []],
    [
      'Date v1',
      'no-op',
      {},
      [
        ['parameters.action', 'Date & Time v1 (moment.js formats) has no equivalent here; rebuild it with our Date & Time node'],
        ['type', PLACEHOLDER],
        ['parameters.value', 'not supported here'],
        ['parameters.toFormat', 'not supported here'],
      ],
    ],
    ['Hash', 'crypto', { operation: 'hash', source: 'value', value: '{{ $json.email }}', algorithm: 'sha256', encoding: 'base64', outputField: 'emailHash' }, []],
    ['HMAC', 'crypto', { operation: 'hmac', source: 'value', value: '{{ $json.body }}', algorithm: 'sha1', encoding: 'hex', outputField: 'sig' }, [['parameters.secret', 'secrets are not imported: store the HMAC secret in a credential and pick it on the node']]],
    ['UUID', 'crypto', { operation: 'uuid', outputField: 'requestId' }, []],
    [
      'HTML',
      'html',
      {
        operation: 'extract',
        sourceField: 'body',
        rules: [
          { key: 'title', selector: 'h1', return: 'text', multiple: false },
          { key: 'links', selector: 'a', return: 'attribute', attribute: 'href', multiple: true },
        ],
        trim: false,
      },
      [],
    ],
    ['HTML table', 'no-op', {}, [['parameters.operation', 'the HTML operation convertToHtmlTable has no equivalent here (ours extracts)'], ['type', PLACEHOLDER]]],
    ['XML', 'xml', { operation: 'toJson', sourceField: 'body' }, []],
    ['Loop', 'loop-over-items', { batchSize: 10 }, []],
    ['Wait', 'wait', { amount: 2, unit: 'minutes' }, []],
    ['Wait long', 'wait', { amount: 1, unit: 'hours' }, [['parameters.amount', 'a wait of 2 hours is longer than the 1 hour a Wait may last here; it waits 1 hour']]],
    ['Wait for webhook', 'no-op', {}, [['parameters.resume', 'resuming on "webhook" has no equivalent here (Wait waits a fixed time, at most 1 hour)'], ['type', PLACEHOLDER]]],
    ['Old batches', 'loop-over-items', { batchSize: 10 }, [['parameters.options.reset', 'resetting the loop on new input has no equivalent here']]],
    ['Fail', 'stop-and-error', { message: 'Order {{ $json.id }} has no customer' }, []],
    ['Respond', 'respond-to-webhook', { respondWith: 'json', json: '{{ { ok: true, id: $json.id } }}', statusCode: 201, headers: [{ name: 'X-Id', value: '{{ $json.id }}' }] }, []],
    [
      'Respond redirect',
      'respond-to-webhook',
      { respondWith: 'firstItem' },
      [
        ['parameters.respondWith', 'responding with redirect has no equivalent here: the first item is sent'],
        ['parameters.redirectURL', 'not supported here'],
      ],
    ],
    ['Run child', 'execute-workflow', { workflowId: '42', mode: 'fireAndForget', runFor: 'eachItem' }, [['parameters.workflowId', 'n8n workflow ids mean nothing here: import that workflow too and pick it on the node']]],
  ])('%s → %s', (name, type, params, unmapped) => {
    expect(node(name).type).toBe(type)
    expect(node(name).params).toEqual(params)
    expect(reasons(name)).toEqual(unmapped)
  })

  it('notes what maps with a difference (XML key names, Split in Batches v1 outputs)', () => {
    expect(entry('XML').notes).toEqual(['XML: our parser names attributes "@_name" and text "#text" (n8n\'s xml2js uses "$" and "_"), so paths into the parsed object may need editing'])
    expect(entry('Old batches').notes[0]).toMatch(/^Split in Batches v1–v2 had one output/)
  })

  it('keeps an unknown type as a no-op placeholder with its settings, error output and every parameter reported', () => {
    expect(node('Mystery')).toMatchObject({ type: 'no-op', params: {}, position: { x: 3400, y: 0 }, settings: { disabled: true, maxAttempts: 4, backoffMs: 2000, continueOnFail: true, notes: 'Writes the report' } })
    expect(entry('Mystery')).toMatchObject({ status: 'placeholder', type: 'no-op', n8nType: 'n8n-nodes-base.googleSheets', n8nTypeVersion: 4.5 })
    expect(entry('Mystery').unmapped).toEqual([
      { path: 'type', reason: 'no equivalent here for n8n-nodes-base.googleSheets: kept as a No-op placeholder with its name, position and connections; replace it' },
      { path: 'parameters.operation', reason: 'not supported here', original: 'append' },
      { path: 'parameters.sheetName.__rl', reason: 'not supported here', original: 'true' },
      { path: 'parameters.sheetName.value', reason: 'not supported here', original: 'gid=0' },
      { path: 'parameters.sheetName.mode', reason: 'not supported here', original: 'list' },
      { path: 'alwaysOutputData', reason: 'not supported here: a node that outputs nothing passes on nothing', original: 'true' },
    ])
  })

  it('turns a sticky note into a canvas note', () => {
    expect(imported.graph.notes).toEqual([{ id: 'note-1', text: '## Orders\nRuns nightly', position: { x: 0, y: -300 }, width: 320, height: 200, color: '4' }])
    expect(entry('Sticky')).toMatchObject({ status: 'stickyNote', unmapped: [] })
  })
})

describe('nodes of n8n before 1.0', () => {
  it('Start → manual-trigger; Item Lists v1–v3 → the list node its operation names, with the same parameters', () => {
    const node = (type: string, name: string, typeVersion: number, parameters: Record<string, unknown>) => ({ name, type: `n8n-nodes-base.${type}`, typeVersion, position: [0, 0], parameters })
    const { graph, report } = importN8nWorkflow({
      nodes: [
        node('start', 'Start', 1, {}),
        node('itemLists', 'Split', 1, { fieldToSplitOut: 'lines' }),
        node('itemLists', 'Sort', 2, { operation: 'sort', sortFieldsUi: { sortField: [{ fieldName: 'n', order: 'descending' }] } }),
        node('itemLists', 'Limit', 3, { operation: 'limit', maxItems: 2 }),
        node('itemLists', 'Concatenate', 3, { operation: 'concatenateItems' }),
      ],
      connections: {},
    })
    expect(graph.nodes.map((n) => [n.name, n.type, n.params])).toEqual([
      ['Start', 'manual-trigger', {}],
      ['Split', 'split-out', { field: 'lines', include: 'noOtherFields' }],
      ['Sort', 'sort', { sortBy: [{ field: 'n', order: 'desc' }] }],
      ['Limit', 'limit', { maxItems: 2, keep: 'first' }],
      ['Concatenate', 'no-op', {}],
    ])
    expect(report.nodes[4].unmapped.map((u) => u.reason)).toEqual(['the Item Lists operation concatenateItems has no equivalent here', PLACEHOLDER])
    expectValidGraph(graph)
  })
})

describe('Summarize result names', () => {
  it("keep n8n's names: prefixes per aggregation, brackets dropped, spaces and dots made _", () => {
    const { graph } = importN8nWorkflow({
      nodes: [
        {
          name: 'Sum up', type: 'n8n-nodes-base.summarize', typeVersion: 1.1, position: [0, 0],
          parameters: {
            fieldsToSummarize: {
              values: [
                { aggregation: 'sum', field: 'order total' },
                { aggregation: 'countUnique', field: 'customer.id' },
                { aggregation: 'average', field: 'total' },
                { aggregation: 'max', field: 'line["price"]' },
              ],
            },
          },
        },
      ],
      connections: {},
    })
    expect(graph.nodes[0]?.params?.aggregations).toEqual([
      { operation: 'sum', field: 'order total', outputName: 'sum_order_total' },
      { operation: 'countUnique', field: 'customer.id', outputName: 'unique_count_customer_id' },
      { operation: 'average', field: 'total' },
      { operation: 'max', field: 'line["price"]', outputName: 'max_lineprice' },
    ])
  })
})
