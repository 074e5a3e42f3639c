// The template gallery's pure parts: the SVG preview drawn from a graph, the "Use template" form's values and error
// placement, and the publish dialog's candidates → parameters and bindings.
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { GraphPreview, previewLayout } from '@/components/templates/GraphPreview'
import { initialValues, paramsFromForm, placeErrors } from '@/components/templates/form-values'
import { choiceKey, initialChoices, paramCandidates, prefillFromTemplate, publishPayload, suggestParamName } from '@/components/templates/publish'
import { ApiError } from '@/lib/client/api'
import { templateParameterSchema, type TemplateParameter } from '@/lib/templates/types'

const param = (p: Partial<TemplateParameter> & Pick<TemplateParameter, 'name' | 'type'>) => templateParameterSchema.parse(p)

describe('GraphPreview', () => {
  const graph = {
    nodes: [
      { id: 'a', type: 'manual-trigger', name: 'Start', position: { x: 0, y: 0 } },
      { id: 'b', type: 'http-request', name: 'Fetch <weather>', position: { x: 300, y: 100 } },
    ],
    edges: [{ source: 'a', target: 'b' }, { source: 'a', target: 'gone' }],
  }

  it('frames the nodes with a margin and draws one curve per edge whose ends exist', () => {
    const layout = previewLayout(graph)
    expect(layout.viewBox).toBe('-40 -40 600 244')
    expect(layout.nodes.map((n) => [n.id, n.x, n.y])).toEqual([['a', 0, 0], ['b', 300, 100]])
    expect(layout.edges).toHaveLength(1)
    expect(layout.edges[0].d).toMatch(/^M220,32 C.* 300,132$/)
  })

  it('renders an accessible SVG with node names as text, never markup', () => {
    const html = renderToStaticMarkup(<GraphPreview graph={graph} />)
    expect(html).toContain('aria-label="Canvas preview: 2 steps"')
    expect(html).toContain('<title>Fetch &lt;weather&gt;</title>')
    expect(html.match(/<path /g)).toHaveLength(1)
  })

  it('draws an empty graph as an empty frame', () => {
    expect(previewLayout({ nodes: [], edges: [] })).toEqual({ viewBox: '0 0 300 144', nodes: [], edges: [] })
  })
})

describe('Use template form values', () => {
  const params = [
    param({ name: 'city', type: 'string', required: true }),
    param({ name: 'days', type: 'number', default: 3 }),
    param({ name: 'metric', type: 'boolean', default: true }),
    param({ name: 'unit', type: 'select', options: [{ value: 'c' }, { value: 'f' }], default: 'c' }),
    param({ name: 'extra', type: 'json', default: { a: 1 } }),
  ]

  it('starts each control from the default, as text except checkboxes', () => {
    expect(initialValues(params)).toEqual({ city: '', days: '3', metric: true, unit: 'c', extra: '{\n  "a": 1\n}' })
  })

  it('turns the controls into typed values', () => {
    const { params: out, errors } = paramsFromForm(params, { city: 'Oslo', days: '7', metric: false, unit: 'f', extra: '[1,2]' })
    expect(errors).toEqual({})
    expect(out).toEqual({ city: 'Oslo', days: 7, metric: false, unit: 'f', extra: [1, 2] })
  })

  it('names every bad field at once: required, number, JSON and expressions', () => {
    const { errors } = paramsFromForm(params, { city: '', days: 'many', metric: true, unit: 'k', extra: '{oops' })
    expect(Object.keys(errors).sort()).toEqual(['params.city', 'params.days', 'params.extra', 'params.unit'])
    expect(errors['params.city']).toBe('is required')
    expect(errors['params.extra']).toBe('is not valid JSON')
    expect(paramsFromForm(params, { ...initialValues(params), city: '{{ $credentials.x }}' }).errors['params.city']).toMatch(/may not contain an expression/)
  })

  it('places a 400’s problems beside params, credentials and the name, the rest above the buttons', () => {
    const err = new ApiError(400, 'VALIDATION_ERROR', 'Check the values', {
      'params.city': 'is required',
      'params.extra.__proto__': 'holds a reserved key',
      'credentials.credential-1': 'is not a credential of kind smtp',
      name: 'is taken',
      version: 'no such version',
    })
    expect(placeErrors(err)).toEqual({
      fields: {
        'params.city': 'is required',
        'params.extra': '__proto__: holds a reserved key',
        'credentials.credential-1': 'is not a credential of kind smtp',
        name: 'is taken',
      },
      form: 'Check the values (version: no such version)',
    })
    expect(placeErrors(new Error('offline'))).toEqual({ fields: {}, form: 'offline' })
  })
})

describe('Publish as template', () => {
  const nodes = [
    { id: 'w', type: 'webhook', name: 'Webhook', params: { path: 'orders', method: 'POST' } },
    {
      id: 'h',
      type: 'http-request',
      name: 'Fetch weather',
      params: {
        url: 'https://api.example.com/{{ $json.city }}',
        method: 'GET',
        timeoutMs: 5000,
        headers: [{ name: 'x', value: 'y' }, 'plain'],
        options: { retry: true, deep: { no: 'no' } },
        credential: 'cred_123',
      },
    },
    { id: 's', type: 'send-email', name: 'Mail', params: { credential: { $credentialRef: 'credential-1' }, to: 'a@b.c' } },
  ]
  const credentialParam = (type: string) => (type === 'http-request' ? 'credential' : undefined)

  it('offers plain values at the top level and one level down; never credentials or expressions', () => {
    const paths = paramCandidates(nodes, credentialParam).map((c) => `${c.nodeId}:${c.path}=${JSON.stringify(c.value)}`)
    expect(paths).toEqual([
      'w:path="orders"', 'w:method="POST"',
      'h:method="GET"', 'h:timeoutMs=5000', 'h:headers.1="plain"', 'h:options.retry=true',
      's:to="a@b.c"',
    ])
  })

  it('suggests valid, unique names', () => {
    expect(suggestParamName({ nodeName: 'Fetch weather', path: 'options.retry' }, new Set())).toBe('fetch_weather_options_retry')
    expect(suggestParamName({ nodeName: '1st step', path: 'url' }, new Set(['p_1st_step_url']))).toBe('p_1st_step_url_2')
  })

  it('turns the ticked rows into parameters with the current value as default, and bindings', () => {
    const rows = initialChoices(paramCandidates(nodes, credentialParam))
    const tick = (key: string, patch: object = {}) => Object.assign(rows.find((r) => choiceKey(r) === key)!, { checked: true, ...patch })
    tick('w:path', { name: 'path', required: true })
    tick('h:timeoutMs')
    tick('h:options.retry', { name: 'retry' })
    const { parameters, bindings, errors } = publishPayload(rows)
    expect(errors).toEqual({})
    expect(parameters).toEqual([
      { name: 'path', type: 'string', description: '', required: true, default: 'orders' },
      { name: 'fetch_weather_timeoutms', type: 'number', description: '', required: false, default: 5000 },
      { name: 'retry', type: 'boolean', description: '', required: false, default: true },
    ])
    expect(bindings).toEqual([
      { nodeId: 'w', path: 'path', param: 'path' },
      { nodeId: 'h', path: 'timeoutMs', param: 'fetch_weather_timeoutms' },
      { nodeId: 'h', path: 'options.retry', param: 'retry' },
    ])
  })

  it('lets two places share one parameter of one type, and names the row of a bad or clashing name', () => {
    const rows = initialChoices(paramCandidates(nodes, credentialParam))
    const set = (key: string, patch: object) => Object.assign(rows.find((r) => choiceKey(r) === key)!, { checked: true, ...patch })
    set('w:method', { name: 'method' })
    set('h:method', { name: 'method' })
    set('s:to', { name: '2bad' })
    set('h:timeoutMs', { name: 'method' })
    const { parameters, bindings, errors } = publishPayload(rows)
    expect(parameters.map((p) => p.name)).toEqual(['method'])
    expect(bindings.map((b) => `${b.nodeId}:${b.path}`)).toEqual(['w:method', 'h:method'])
    expect(errors).toEqual({ 's:to': expect.stringMatching(/letter or _/), 'h:timeoutMs': '“method” is already a string parameter' })
  })

  it('a new version starts ticked where the template has exactly a placeholder, deeper places included, keeping each parameter’s definition', () => {
    const workflow = [
      { id: 'w', type: 'webhook', name: 'Webhook', params: { path: 'orders-2', method: 'POST' } },
      { id: 's', type: 'set', name: 'Compose', params: { fields: [{ name: 'greeting', value: 'Hi' }], note: 'Dear Ada' } },
      { id: 'x', type: 'set', name: 'Added since', params: { path: 'new' } },
    ]
    const unit = param({ name: 'unit', type: 'select', label: 'Unit', description: 'Which unit', options: [{ value: 'c' }, { value: 'f' }], default: 'c' })
    const template = {
      graph: {
        nodes: [
          { id: 'w', type: 'webhook', name: 'Webhook', params: { path: '{{ $param.route }}', method: '{{ $param.unit }}' }, settings: {}, position: { x: 0, y: 0 } },
          { id: 's', type: 'set', name: 'Compose', params: { fields: [{ name: 'greeting', value: '{{$param.greeting}}' }], note: 'Dear {{ $param.greeting }}' }, settings: {}, position: { x: 0, y: 0 } },
          { id: 'gone', type: 'set', name: 'Removed since', params: { path: '{{ $param.route }}' }, settings: {}, position: { x: 0, y: 0 } },
        ],
        edges: [],
        notes: [],
      },
      parameters: [param({ name: 'route', type: 'string', required: true }), param({ name: 'greeting', type: 'text' }), unit],
    } as unknown as Parameters<typeof prefillFromTemplate>[2]
    const rows = prefillFromTemplate(initialChoices(paramCandidates(workflow)), workflow, template)
    const ticked = rows.filter((r) => r.checked).map((r) => [choiceKey(r), r.name, r.type, r.required, r.value])
    expect(ticked).toEqual([
      ['w:path', 'route', 'string', true, 'orders-2'],
      ['w:method', 'unit', 'select', false, 'POST'],
      ['s:fields.0.value', 'greeting', 'text', false, 'Hi'],
    ])
    const { parameters } = publishPayload(rows.map((r) => (choiceKey(r) === 'w:method' ? { ...r, value: 'f' } : r)), template.parameters)
    expect(parameters.find((p) => p.name === 'unit')).toEqual({ ...unit, default: 'f' })
    expect(parameters.find((p) => p.name === 'route')).toMatchObject({ required: true, default: 'orders-2' })
  })
})
