// Webhook v1/v2, Schedule Trigger v1–v1.2, Interval, Cron, Execute Workflow Trigger v1.1, Error Trigger and HTTP
// Request v1, v2, v3 and v4.2: exact params and report entries.
import { describe, expect, it } from 'vitest'
import { importN8nWorkflow } from '@/lib/templates/n8n/import'
import { expectValidGraph, importFixture } from './fixtures'

const imported = importFixture('http-and-triggers.json')
const { node, reasons } = imported

function expectMapped(name: string, params: object, unmapped: string[][]): void {
  expect(node(name).params).toEqual(params)
  expect(reasons(name)).toEqual(unmapped)
}

describe('triggers', () => {
  it('produce a graph our API accepts', () => {
    expectValidGraph(imported.graph)
    expect(imported.report.graphProblems).toEqual([])
  })

  it.each([
    ['Webhook v1', { path: 'orders/new', method: 'POST', responseMode: 'lastNode' }, [['parameters.options.rawBody', 'not supported here']]],
    [
      'Webhook v2',
      { path: '', method: 'GET', responseMode: 'onReceived' },
      [
        ['parameters.path', 'Use letters, digits, "-", "_", "." and "~" in segments separated by "/" (path parameters such as ":id" are not supported); the server will choose the path'],
        ['parameters.httpMethod', 'one method per webhook here: only GET is kept'],
        ['parameters.responseMode', "answering with the last node's data has no equivalent here: the caller gets 202 at once; add a Respond to webhook node and set the response mode to lastNode"],
        ['parameters.authentication', 'webhook authentication is not imported: check a header in the workflow (keepAuthorizationHeader) instead'],
        ['credentials.httpHeaderAuth', 'credentials are not imported: create or pick one of ours for "Header key" on the node'],
      ],
    ],
    ['Schedule', { mode: 'cron', cron: '30 9 * * 1,5' }, [['parameters.rule.interval.1', 'one schedule per trigger here: only the first rule is kept; add another Schedule trigger for this one']]],
    ['Every 2 hours', { mode: 'cron', cron: '15 */2 * * *' }, []],
    ['Cron expression', { mode: 'cron', cron: '0 6 * * 1-5' }, []],
    ['Interval', { mode: 'interval', every: 5, unit: 'minutes' }, []],
    ['Cron', { mode: 'cron', cron: '0 8 * * 3' }, []],
    ['Sub-workflow input', { inputSource: 'schema', fields: [{ name: 'email', type: 'string' }, { name: 'count', type: 'number' }] }, []],
    ['Error trigger', {}, []],
  ])('%s', expectMapped)

  it("takes the workflow's time zone (settings.timezone) into schedules", () => {
    const { graph } = importN8nWorkflow({
      nodes: [{ name: 'Daily', type: 'n8n-nodes-base.scheduleTrigger', typeVersion: 1.2, position: [0, 0], parameters: { rule: { interval: [{ triggerAtHour: 7 }] } } }],
      connections: {},
      settings: { timezone: 'Europe/Berlin' },
    })
    expect(graph.nodes[0].params).toEqual({ mode: 'cron', cron: '0 7 * * *', timezone: 'Europe/Berlin' })
  })
})

describe('HTTP Request', () => {
  it.each([
    [
      'HTTP v1',
      {
        method: 'POST',
        url: 'https://api.example.com/orders/{{ $json.body.id }}',
        headers: [{ name: 'X-Source', value: 'n8n' }],
        query: [{ name: 'verbose', value: '1' }],
        bodyType: 'form',
        formBody: [{ name: 'status', value: 'paid' }],
        responseFormat: 'text',
        failOnHttpError: false,
        followRedirects: false,
        timeoutMs: 5000,
      },
      [],
    ],
    [
      'HTTP v1 JSON',
      { method: 'GET', url: 'https://api.example.com/search', headers: [], query: [{ name: 'q', value: 'shoes' }, { name: 'page', value: '2' }], bodyType: 'json', jsonBody: '{{ JSON.stringify({ id: $json.id }) }}', responseFormat: 'json' },
      [
        ['parameters.headerParametersJson', 'name/value pairs built by an expression have no equivalent here: list them one by one'],
        ['parameters.options.fullResponse', 'not supported here'],
      ],
    ],
    [
      'HTTP v3',
      { method: 'PUT', url: 'https://api.example.com/items', query: [{ name: 'dryRun', value: '{{ $json.dry }}' }], headers: [{ name: 'Accept', value: 'application/json' }], bodyType: 'json', jsonBody: '{\n  "name": "{{ $json.name }}"\n}', timeoutMs: 300000 },
      [['parameters.options.timeout', '1000000 is outside what is allowed here (100–300000): 300000 is used']],
    ],
    [
      'HTTP v4.2',
      {
        method: 'POST',
        url: 'https://upload.example.com/files',
        headers: [{ name: 'X-Team', value: 'ops' }],
        bodyType: 'multipart',
        formBody: [{ name: 'note', value: 'hello' }],
        fileParts: [{ name: 'file', field: 'data' }],
        maxRedirects: 3,
        responseFormat: 'json',
        failOnHttpError: false,
        batchSize: 10,
        batchIntervalMs: 500,
      },
      [
        ['parameters.authentication', 'credentials are not imported: pick one of ours (API key, bearer, basic auth or custom headers) on the node'],
        ['parameters.options.response.response.fullResponse', 'not supported here'],
        ['parameters.options.allowUnauthorizedCerts', 'not supported here'],
        ['credentials.slackApi', 'credentials are not imported: create or pick one of ours for "Slack bot" on the node'],
      ],
    ],
  ])('%s', expectMapped)
})
