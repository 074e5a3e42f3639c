// No Operation, Wait (time interval), Stop and Error, Respond to Webhook, Execute Workflow (v1–v1.2), Split in
// Batches / Loop Over Items (v1–v3) → no-op, wait, stop-and-error, respond-to-webhook, execute-workflow,
// loop-over-items.
import { isRecord, type NodeMapper } from '../context'

export const noOpMapper: NodeMapper = () => ({ type: 'no-op', params: {} })

const WAIT_MS: Record<string, number> = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 }

export const waitMapper: NodeMapper = (ctx) => {
  const resume = String(ctx.raw('resume') ?? 'timeInterval')
  if (resume !== 'timeInterval') {
    ctx.unmapped('resume', `resuming on "${resume}" has no equivalent here (Wait waits a fixed time, at most 1 hour)`)
    return null
  }
  // n8n's Wait v1 waited 1 hour by default, v1.1+ 5 seconds.
  const amount = ctx.num('amount', ctx.version >= 1.1 ? 5 : 1)
  let unit = String(ctx.raw('unit') ?? (ctx.version >= 1.1 ? 'seconds' : 'hours'))
  if (unit === 'days' || (typeof amount === 'number' && amount * (WAIT_MS[unit] ?? 0) > 3_600_000)) {
    ctx.unmapped('amount', `a wait of ${String(amount)} ${unit} is longer than the 1 hour a Wait may last here; it waits 1 hour`)
    return { type: 'wait', params: { amount: 1, unit: 'hours' } }
  }
  if (!(unit in WAIT_MS)) unit = 'seconds'
  return { type: 'wait', params: { amount, unit } }
}

export const stopAndErrorMapper: NodeMapper = (ctx) => {
  if (ctx.raw('errorType') === 'errorObject') {
    ctx.unmapped('errorObject', 'an error object has no equivalent here: its JSON text is the message')
    return { type: 'stop-and-error', params: { message: ctx.text('errorObject', 'Stopped') || 'Stopped' } }
  }
  return { type: 'stop-and-error', params: { message: ctx.text('errorMessage', 'Stopped') || 'Stopped' } }
}

const RESPOND_WITH: Record<string, string> = { allIncomingItems: 'allItems', firstIncomingItem: 'firstItem', json: 'json', text: 'text', noData: 'noData' }

export const respondToWebhookMapper: NodeMapper = (ctx) => {
  const respondWith = String(ctx.raw('respondWith') ?? 'firstIncomingItem')
  const ours = RESPOND_WITH[respondWith]
  if (!ours) ctx.unmapped('respondWith', `responding with ${respondWith} has no equivalent here: the first item is sent`)
  const params: Record<string, unknown> = { respondWith: ours ?? 'firstItem' }
  if (ours === 'json') params.json = ctx.value('responseBody', '')
  if (ours === 'text') params.text = ctx.text('responseBody', '')
  if (ctx.has('options.responseCode')) params.statusCode = ctx.num('options.responseCode', 200)
  const headers = ctx.list('options.responseHeaders.entries').map(({ path }) => {
    ctx.raw(path)
    return { name: ctx.text(`${path}.name`), value: ctx.text(`${path}.value`) }
  })
  if (headers.length) params.headers = headers
  return { type: 'respond-to-webhook', params }
}

export const executeWorkflowMapper: NodeMapper = (ctx) => {
  const source = String(ctx.raw('source') ?? 'database')
  if (source !== 'database') {
    ctx.unmapped('source', `a sub-workflow from ${source} has no equivalent here: import it as a workflow and pick it on the node`)
  }
  const raw = ctx.raw('workflowId')
  const id = isRecord(raw) ? raw.value : raw
  const n8nId = typeof id === 'string' || typeof id === 'number' ? String(id) : ''
  ctx.unmappedAt('parameters.workflowId', 'n8n workflow ids mean nothing here: import that workflow too and pick it on the node', n8nId || raw)
  const wait = ctx.raw('options.waitForSubWorkflow') !== false
  return {
    type: 'execute-workflow',
    params: { workflowId: n8nId || 'pick-a-workflow', mode: wait ? 'wait' : 'fireAndForget', runFor: ctx.raw('mode') === 'each' ? 'eachItem' : 'allItems' },
  }
}

/** v3 (Loop Over Items): output 0 is done, 1 is loop, as ours. v1–v2 had one output, the batch. */
export const splitInBatchesMapper: NodeMapper = (ctx) => {
  const batchSize = ctx.num('batchSize', ctx.version >= 3 ? 1 : 10)
  if (ctx.raw('options.reset') === true) ctx.unmapped('options.reset', 'resetting the loop on new input has no equivalent here')
  if (ctx.version < 3) {
    ctx.note('Split in Batches v1–v2 had one output (the batch): it feeds our loop output; connect the nodes that should run after the last batch to done, and end the loop body with an edge back into this node')
    return { type: 'loop-over-items', params: { batchSize }, outputPorts: (i) => (i === 0 ? ['loop'] : []) }
  }
  return { type: 'loop-over-items', params: { batchSize }, outputPorts: (i) => (i === 0 ? ['done'] : i === 1 ? ['loop'] : []), outputCount: 2 }
}
