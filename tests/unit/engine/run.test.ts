import { describe, expect, it } from 'vitest'
import type { StepStatus } from '@/lib/engine/types'
import { eventsOf, graph, harness } from './builders'

describe('runWorkflow: order, branches, skips and merges', () => {
  it.each<[string, string[], string[], string[]]>([
    ['chain', ['t:trigger', 'a', 'b', 'c'], ['t>a', 'a>b', 'b>c'], ['a', 'b', 'c']],
    ['diamond waits for both parents', ['t:trigger', 'a', 'b', 'c', 'm:merge'], ['t>a', 'a>b', 't>c', 'b>m.input1', 'c>m.input2'], ['a', 'c', 'b', 'm']],
    ['two edges into one port', ['t:trigger', 'a', 'b', 'j'], ['t>a', 't>b', 'a>j', 'b>j'], ['a', 'b', 'j']],
    ['other triggers do not run', ['t:trigger', 'u:trigger', 'a', 'b'], ['t>a', 'u>b'], ['a']],
  ])('%s', async (_label, nodes, edges, order) => {
    const h = harness()
    const result = await h.run(graph(nodes, edges), { concurrency: 1 })
    expect(result.status).toBe('succeeded')
    expect(h.probe.order).toEqual(order)
  })

  it.each<[string, string[], string[], Record<string, unknown>[], Record<string, StepStatus>, Record<string, number>]>([
    ['If routes to true: false branch skipped, skip propagates', ['t:trigger', 'b:branch', 'x', 'y', 'y2'], ['t>b', 'b.true>x', 'b.false>y', 'y>y2'], [{ ok: 1 }], { x: 'succeeded', y: 'skipped', y2: 'skipped' }, { x: 1 }],
    ['merge after If runs with the taken side', ['t:trigger', 'b:branch', 'x', 'y', 'm:merge'], ['t>b', 'b.true>x', 'b.false>y', 'x>m.input1', 'y>m.input2'], [{ ok: 1 }, { ok: 0 }, { ok: 1 }], { y: 'succeeded', m: 'succeeded' }, { m: 3 }],
    ['merge after If with one side dead', ['t:trigger', 'b:branch', 'x', 'm:merge'], ['t>b', 'b.true>x', 'b.false>m.input2', 'x>m.input1'], [{ ok: 0 }], { x: 'skipped', m: 'succeeded' }, { m: 1 }],
    ['every input dead: merge skipped', ['t:trigger', 'b:branch', 'x', 'y', 'm:merge'], ['t>b', 'b.true>x', 'b.true>y', 'x>m.input1', 'y>m.input2'], [{ ok: 0 }], { x: 'skipped', y: 'skipped', m: 'skipped' }, {}],
    ['zero items from a live source still run downstream', ['t:trigger', 'e:empty', 'a', 'b'], ['t>e', 'e>a', 'a>b'], [{ n: 1 }], { e: 'succeeded', a: 'succeeded', b: 'succeeded' }, { a: 0, b: 0 }],
    ['If that filters everything: nothing routed away, so both sides run empty', ['t:trigger', 'e:empty', 'b:branch', 'x', 'y'], ['t>e', 'e>b', 'b.true>x', 'b.false>y'], [{ n: 1 }], { x: 'succeeded', y: 'succeeded' }, { x: 0, y: 0 }],
    ['empty trigger input', ['t:trigger', 'a'], ['t>a'], [], { t: 'succeeded', a: 'succeeded' }, { a: 0 }],
  ])('%s', async (_label, nodes, edges, input, statuses, mainCounts) => {
    const h = harness()
    const result = await h.run(graph(nodes, edges), { input })
    expect(result.status).toBe('succeeded')
    for (const [id, status] of Object.entries(statuses)) expect(result.steps[id].status, id).toBe(status)
    for (const [id, count] of Object.entries(mainCounts)) expect(result.steps[id].outputCounts.main ?? 0, id).toBe(count)
    for (const [id, status] of Object.entries(statuses)) if (status === 'skipped') expect(eventsOf(h.events, id)).toEqual(['step.skipped'])
  })

  it('runs independent branches in parallel (each waits until the other has started)', async () => {
    const h = harness()
    const g = graph(
      ['t:trigger', { id: 'a', type: 'gated', params: { waitFor: ['b'] } }, { id: 'b', type: 'gated', params: { waitFor: ['a'] } }, 'j'],
      ['t>a', 't>b', 'a>j', 'b>j'],
    )
    const result = await h.run(g, { concurrency: 2 })
    expect(result.status).toBe('succeeded')
    expect(h.probe.maxActive).toBe(2)
  })

  it('bounds parallelism by concurrency', async () => {
    const h = harness()
    const ids = ['a', 'b', 'c', 'd', 'e', 'f']
    const nodes = ids.map((id) => ({ id, type: 'gated', params: { hold: true } }))
    const run = h.run(graph(['t:trigger', ...nodes], ids.map((id) => `t>${id}`)), { concurrency: 3 })
    await Promise.all(['a', 'b', 'c'].map((id) => h.probe.whenStarted(id)))
    expect(h.probe.active).toBe(3)
    ids.forEach((id) => h.probe.release(id))
    expect((await run).status).toBe('succeeded')
    expect(h.probe.maxActive).toBe(3)
  })

  it('passes input through a disabled node without running it', async () => {
    const h = harness()
    const g = graph(['t:trigger', { id: 'f', type: 'fail', settings: { disabled: true } }, 'a'], ['t>f', 'f>a'])
    const result = await h.run(g, { input: [{ x: 1 }, { x: 2 }] })
    expect(result.status).toBe('succeeded')
    expect(h.probe.order).toEqual(['a'])
    expect(result.steps.a.outputCounts).toEqual({ main: 2 })
  })

  it('emits events in order, awaited, with execution.finished last', async () => {
    const h = harness()
    const seen: string[] = []
    let inFlight = 0
    const result = await h.run(graph(['t:trigger', 'a', 'p:progress'], ['t>a', 'a>p']), {
      onEvent: async (e) => {
        expect(inFlight).toBe(0)
        inFlight++
        await new Promise((r) => setTimeout(r, 1))
        seen.push(`${e.type}${'nodeId' in e ? `:${e.nodeId}` : ''}`)
        inFlight--
      },
    })
    expect(result.status).toBe('succeeded')
    expect(seen).toEqual([
      'step.started:t',
      'step.succeeded:t',
      'step.started:a',
      'step.succeeded:a',
      'step.started:p',
      'step.progress:p',
      'step.succeeded:p',
      'execution.finished',
    ])
  })

  it('hands nodes the idempotency key, the input preview and the output', async () => {
    const h = harness()
    await h.run(graph(['t:trigger', 'p:progress'], ['t>p']), { input: [{ q: 1 }] })
    const started = h.events.find((e) => e.type === 'step.started' && e.nodeId === 'p')
    const done = h.events.find((e) => e.type === 'step.succeeded' && e.nodeId === 'p')
    expect(started).toMatchObject({ inputCount: 1, input: [{ q: 1 }], attempt: 1, nodeName: 'p', nodeType: 'progress' })
    expect(done).toMatchObject({ outputCounts: { main: 1 }, output: { main: [{ key: 'ex1:p' }] } })
  })

  it('resolves credentials through getCredential and checks their kind', async () => {
    const h = harness()
    const ok = await h.run(graph(['t:trigger', { id: 'c', type: 'cred', params: { credentialId: 'k1' } }], ['t>c']))
    expect(ok.status).toBe('succeeded')
    expect(h.events.find((e) => e.type === 'step.succeeded' && e.nodeId === 'c')).toMatchObject({ output: { main: [{ cred: { token: 'secret-k1' } }] } })
    const missing = await harness().run(graph(['t:trigger', { id: 'c', type: 'cred' }], ['t>c']))
    expect(missing.error).toMatchObject({ code: 'CREDENTIAL_MISSING', nodeId: 'c' })
    const wrongKind = await harness().run(graph(['t:trigger', { id: 'c', type: 'cred', params: { credentialId: 'k' } }], ['t>c']), {
      getCredential: async (id) => ({ id, kind: 'twilio', data: {} }),
    })
    expect(wrongKind.error).toMatchObject({ code: 'CREDENTIAL_KIND' })
  })

  it('fails an invalid graph before running anything', async () => {
    const h = harness()
    const result = await h.run(graph(['t:trigger', 'a:nope'], ['t>a']))
    expect(result).toMatchObject({ status: 'failed', error: { code: 'INVALID_GRAPH' } })
    expect(h.events.map((e) => e.type)).toEqual(['execution.finished'])
  })

  it('fails the run on a node error and starts nothing after it', async () => {
    const h = harness()
    const result = await h.run(graph(['t:trigger', { id: 'f', type: 'fail' }, 'after'], ['t>f', 'f>after']))
    expect(result.status).toBe('failed')
    expect(result.error).toMatchObject({ code: 'BOOM', nodeId: 'f', message: 'boom 1' })
    expect(result.steps.after.status).toBe('pending')
    expect(h.events.at(-1)).toMatchObject({ type: 'execution.finished', status: 'failed' })
  })

  it('rejects params that fail the node schema after expressions are resolved', async () => {
    const result = await harness().run(graph(['t:trigger', { id: 'h', type: 'typed', params: { url: 'nope' } }], ['t>h']))
    expect(result.error).toMatchObject({ code: 'INVALID_PARAMS', field: 'url', retryable: false })
  })

  it('fails the run when recording an event fails', async () => {
    const result = await harness().run(graph(['t:trigger', 'a'], ['t>a']), {
      onEvent: (e) => {
        if (e.type === 'step.started' && e.nodeId === 'a') throw new Error('db down')
      },
    })
    expect(result).toMatchObject({ status: 'failed', error: { code: 'EVENT_HANDLER_FAILED' } })
  })

  it('fails the trigger step (with an event) when its input stream breaks', async () => {
    const h = harness()
    async function* broken() {
      yield [{ n: 1 }]
      throw new Error('upload interrupted')
    }
    const result = await h.run(graph(['t:trigger', 'a'], ['t>a']), { input: broken() })
    expect(result).toMatchObject({ status: 'failed', error: { message: 'upload interrupted', nodeId: 't' } })
    expect(eventsOf(h.events, 't')).toEqual(['step.started', 'step.failed'])
    expect(h.probe.order).toEqual([])
  })

  it('starts from the given trigger only', async () => {
    const h = harness()
    const result = await h.run(graph(['t:trigger', 'u:trigger', 'a', 'b'], ['t>a', 'u>b']), { triggerNodeId: 'u' })
    expect(h.probe.order).toEqual(['b'])
    expect(Object.keys(result.steps).sort()).toEqual(['b', 'u'])
  })

  it('refuses a triggerNodeId that is not a trigger', async () => {
    const result = await harness().run(graph(['t:trigger', 'a'], ['t>a']), { triggerNodeId: 'a' })
    expect(result).toMatchObject({ status: 'failed', error: { code: 'NO_TRIGGER' } })
  })

  it('routes along output ports derived from params', async () => {
    const h = harness()
    const g = graph(['t:trigger', { id: 's', type: 'switch', params: { ports: ['x', 'y'] } }, 'x', 'y'], ['t>s', 's.x>x', 's.y>y'])
    const result = await h.run(g)
    expect(result.steps.x.status).toBe('succeeded')
    expect(result.steps.y.status).toBe('skipped')
  })

  it('numbers $itemIndex across the pages of a batch node', async () => {
    const h = harness()
    const g = graph(['t:trigger', { id: 'p', type: 'params-batch', params: { i: '{{ $itemIndex }}', v: '{{ $json.v }}' } }], ['t>p'])
    await h.run(g, { input: [0, 1, 2, 3, 4].map((v) => ({ v: v * 10 })), pageSize: 2, previewItems: 10 })
    expect(h.probe.attempts.get('p')).toBe(3)
    const out = h.events.find((e) => e.type === 'step.succeeded' && e.nodeId === 'p')
    expect(out).toMatchObject({ outputCounts: { main: 5 }, output: { main: [0, 1, 2, 3, 4].map((i) => ({ i, v: i * 10 })) } })
  })
})
