// Postgres v1/v2.5, MySQL v1/v2.4, Redis, Send Email v1/v2.1, RabbitMQ, MQTT, and the LangChain nodes with a plain
// equivalent (Basic LLM Chain and OpenAI → llm-chat, AI Agent → agent, chat model sub-nodes folded in).
import { describe, expect, it } from 'vitest'
import { importN8nWorkflow } from '@/lib/templates/n8n/import'
import { expectValidGraph, importFixture, PLACEHOLDER } from './fixtures'

const imported = importFixture('integrations-and-ai.json')
const { node, entry, reasons } = imported

describe('databases, brokers and email', () => {
  it('produce a graph our API accepts', () => {
    expectValidGraph(imported.graph)
    expect(imported.report.summary).toEqual({ nodes: 20, mapped: 15, placeholders: 3, stickyNotes: 0, unmappedEntries: 13 })
  })

  it.each([
    [
      'PG query',
      { operation: 'executeQuery', query: 'SELECT * FROM users WHERE email = $1 AND active = $2', queryParams: ['{{ $json.email }}', 'true'] },
      [['credentials.postgres', 'credentials are not imported: create or pick one of ours for "Prod DB" on the node']],
    ],
    [
      'PG select',
      {
        operation: 'select',
        table: 'sales.orders',
        where: [
          { column: 'status', operator: '=', value: 'open' },
          { column: 'total', operator: '>', value: '{{ $json.min }}' },
        ],
        combineConditions: 'or',
        sort: [{ column: 'created_at', direction: 'desc' }],
        limit: 20,
      },
      [['parameters.where.values.2.condition', 'the condition ILIKE has no equivalent here; it was left out']],
    ],
    ['PG upsert', { operation: 'upsert', table: 'contacts', columnMode: 'auto', columns: [], matchColumns: ['email'] }, []],
    ['PG v1', { operation: 'executeQuery', query: 'SELECT * FROM t WHERE id = $1', queryParams: ['{{ $json["id"] }}'] }, []],
    ['MySQL insert', { operation: 'insert', table: 'contacts', columnMode: 'list', columns: ['email', 'name'], matchColumns: [] }, []],
    ['MySQL drop', {}, [['parameters.deleteCommand', 'truncating or dropping a table has no equivalent here (our delete removes the rows matching where)'], ['type', PLACEHOLDER]]],
    ['Redis set', { operation: 'set', key: 'order:{{ $json.id }}', value: '{{ JSON.stringify($json) }}', expire: 3600 }, []],
    ['Redis push', { operation: 'push', key: 'jobs', value: '{{ $json.id }}', side: 'right' }, []],
    [
      'Email v1',
      { from: 'shop@example.com', to: '{{ $json.email }}', cc: '', bcc: '', replyTo: '', subject: 'Your order', text: 'Thanks, {{ $json.name }}', html: '<p>Thanks</p>', attachments: ['invoice'] },
      [],
    ],
    ['Email v2.1', { from: 'shop@example.com', to: 'ops@example.com', cc: 'boss@example.com', bcc: '', replyTo: 'noreply@example.com', subject: 'Report', text: 'Done', html: '', attachments: [] }, []],
    [
      'RabbitMQ',
      { target: 'exchange', exchange: 'events', routingKey: 'order.{{ $json.status }}', headers: [{ name: 'source', value: 'n8n' }], contentMode: 'json' },
      [['parameters.exchangeType', 'not supported here']],
    ],
    [
      'MQTT',
      { topic: 'sensors/{{ $json.room }}', qos: 1, retain: true, contentMode: 'json' },
      [['parameters.message', 'a message text of its own has no equivalent here: set it into a field with a Set node first and name that field as contentField; the whole item is sent']],
    ],
  ])('%s', (name, params, unmapped) => {
    expect(node(name).params).toEqual(params)
    expect(reasons(name)).toEqual(unmapped)
  })

  it("applies n8n's defaults per version: SQL nodes insert, Send Email v2 sends text and v2.1 HTML", () => {
    const one = (type: string, typeVersion: number, parameters: Record<string, unknown>) =>
      importN8nWorkflow({ nodes: [{ name: 'N', type: `n8n-nodes-base.${type}`, typeVersion, position: [0, 0], parameters }], connections: {} }).graph.nodes[0].params
    expect(one('postgres', 1, { table: 't', columns: 'a' })).toMatchObject({ operation: 'insert', table: 't', columns: ['a'] })
    expect(one('mySql', 2.4, { table: { __rl: true, value: 't', mode: 'list' }, columns: { mappingMode: 'autoMapInputData', value: {} } })).toMatchObject({ operation: 'insert', table: 't', columnMode: 'auto' })
    expect(one('emailSend', 2, { text: 'T', html: 'H' })).toMatchObject({ text: 'T', html: '' })
    expect(one('emailSend', 2.1, { text: 'T', html: 'H' })).toMatchObject({ text: '', html: 'H' })
  })
})

describe('AI nodes', () => {
  it('Basic LLM Chain → llm-chat with the chat model sub-node folded in (model, temperature)', () => {
    expect(node('Summarize text')).toMatchObject({ type: 'llm-chat', params: { model: 'gpt-4o-mini', temperature: 0.2, systemMessage: 'You are terse.', userMessage: 'Summarise: {{ $json.chatInput }}' } })
    expect(entry('OpenAI Chat Model')).toMatchObject({
      status: 'foldedIntoOther',
      foldedInto: 'Summarize text',
      unmapped: [
        { path: 'parameters.options.frequencyPenalty', reason: 'not supported here', original: '0.5' },
        { path: 'credentials.openAiApi', reason: 'credentials are not imported: create or pick one of ours for "OpenAI" on the node' },
      ],
    })
    expect(imported.graph.nodes.map((n) => n.name)).not.toContain('OpenAI Chat Model')
  })

  it('AI Agent → agent; tools are reported and stay placeholders; iterations over 50 are reported', () => {
    expect(node('Agent')).toMatchObject({ type: 'agent', params: { model: 'gpt-4o', userMessage: '{{ $json.chatInput }}', systemMessage: 'Help with orders', maxSteps: 50 } })
    expect(entry('Agent').unmapped.map((u) => [u.path, u.reason])).toEqual([
      ['connections.ai_tool', 'the sub-node "Calculator" (@n8n/n8n-nodes-langchain.toolCalculator) is not imported: add tools on the Agent node'],
      ['parameters.options.maxIterations', '80 iterations: an agent makes at most 50 model calls here; 50 is used'],
    ])
    expect(entry('Calculator')).toMatchObject({ status: 'placeholder', type: 'no-op' })
  })

  it('OpenAI "message a model" → llm-chat with system and user messages and JSON output', () => {
    expect(node('OpenAI').params).toEqual({ model: 'gpt-4o-mini', systemMessage: 'Classify the ticket', userMessage: '{{ $json.output }}', outputFormat: 'json', temperature: 0 })
    expect(entry('OpenAI').unmapped).toEqual([])
  })

  it('keeps the chat trigger, which has no equivalent, as a placeholder', () => {
    expect(entry('Chat').unmapped.map((u) => u.reason)).toEqual(['no equivalent here for @n8n/n8n-nodes-langchain.chatTrigger: kept as a No-op placeholder with its name, position and connections; replace it'])
  })
})
