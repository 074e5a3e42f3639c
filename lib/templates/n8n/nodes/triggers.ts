// Manual Trigger, Webhook (v1, v2), Schedule Trigger (v1–v1.2 rule intervals), Interval, Cron (old), Execute
// Workflow Trigger (v1, v1.1) and Error Trigger → our trigger nodes.
import { webhookPathSchema } from '../../../nodes/webhook-trigger/definition'
import type { NodeContext, NodeMapper } from '../context'

export const manualTriggerMapper: NodeMapper = () => ({ type: 'manual-trigger', params: {} })
export const errorTriggerMapper: NodeMapper = () => ({ type: 'error-trigger', params: {} })

const WEBHOOK_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])

export const webhookMapper: NodeMapper = (ctx) => {
  const rawPath = ctx.text('path', '')
  const parsed = webhookPathSchema.safeParse(rawPath)
  if (!parsed.success) ctx.unmapped('path', `${parsed.error.issues[0]?.message ?? 'not a valid path here'} (path parameters such as ":id" are not supported); the server will choose the path`)
  const methods = ctx.raw('multipleMethods') === true ? ctx.raw('httpMethod') : [ctx.raw('httpMethod') ?? 'GET']
  const list = Array.isArray(methods) ? methods.map(String) : ['GET']
  if (list.length > 1) ctx.unmapped('httpMethod', `one method per webhook here: only ${list[0]} is kept`)
  let method = list[0] ?? 'GET'
  if (!WEBHOOK_METHODS.has(method)) {
    ctx.unmapped('httpMethod', `method ${method} has no equivalent here; POST is used`)
    method = 'POST'
  }
  const mode = String(ctx.raw('responseMode') ?? 'onReceived')
  if (mode === 'lastNode') ctx.unmapped('responseMode', 'answering with the last node\'s data has no equivalent here: the caller gets 202 at once; add a Respond to webhook node and set the response mode to lastNode')
  else if (mode !== 'onReceived' && mode !== 'responseNode') ctx.unmapped('responseMode', `response mode ${mode} has no equivalent here`)
  const auth = ctx.raw('authentication')
  if (auth !== undefined && auth !== 'none') ctx.unmapped('authentication', 'webhook authentication is not imported: check a header in the workflow (keepAuthorizationHeader) instead', auth)
  return { type: 'webhook-trigger', params: { path: parsed.success ? parsed.data : '', method, responseMode: mode === 'responseNode' ? 'lastNode' : 'onReceived' } }
}

const every = (n: number) => (n > 1 ? `*/${n}` : '*')
/** n8n stores some numbers as text (the Cron node's weekday "3"). */
const int = (v: unknown, fallback: number) => {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v
  return typeof n === 'number' && Number.isInteger(n) ? n : fallback
}

/** One entry of `rule.interval`: our schedule params, or undefined (reported). */
function scheduleRule(ctx: NodeContext, path: string, rule: Record<string, unknown>): Record<string, unknown> | undefined {
  const field = String(rule.field ?? 'days')
  const minute = int(rule.triggerAtMinute, 0)
  const hour = int(rule.triggerAtHour, 0)
  switch (field) {
    case 'seconds':
      return { mode: 'interval', every: int(rule.secondsInterval, 30), unit: 'seconds' }
    case 'minutes':
      return { mode: 'interval', every: int(rule.minutesInterval, 5), unit: 'minutes' }
    case 'hours':
      return { mode: 'cron', cron: `${minute} ${every(int(rule.hoursInterval, 1))} * * *` }
    case 'days':
      return { mode: 'cron', cron: `${minute} ${hour} ${every(int(rule.daysInterval, 1))} * *` }
    case 'weeks': {
      if (int(rule.weeksInterval, 1) !== 1) ctx.unmapped(`${path}.weeksInterval`, 'every N weeks has no cron equivalent: it fires every week')
      const days = Array.isArray(rule.triggerAtDay) && rule.triggerAtDay.length ? rule.triggerAtDay.map(Number).join(',') : '0'
      return { mode: 'cron', cron: `${minute} ${hour} * * ${days}` }
    }
    case 'months':
      return { mode: 'cron', cron: `${minute} ${hour} ${int(rule.triggerAtDayOfMonth, 1)} ${every(int(rule.monthsInterval, 1))} *` }
    case 'cronExpression':
      return { mode: 'cron', cron: String(rule.expression ?? '') }
    default:
      ctx.unmapped(path, `schedule field ${field} has no equivalent here`)
      return undefined
  }
}

function timezone(ctx: NodeContext): Record<string, unknown> {
  const tz = ctx.workflowSettings.timezone
  return typeof tz === 'string' && tz !== 'DEFAULT' ? { timezone: tz } : {}
}

export const scheduleTriggerMapper: NodeMapper = (ctx) => {
  const rules = ctx.list('rule.interval')
  ctx.raw('rule')
  rules.slice(1).forEach(({ path }) => ctx.unmapped(path, 'one schedule per trigger here: only the first rule is kept; add another Schedule trigger for this one'))
  const first = rules[0] ? scheduleRule(ctx, rules[0].path, rules[0].item) : { mode: 'cron', cron: '0 0 * * *' }
  return { type: 'schedule-trigger', params: { ...(first ?? {}), ...timezone(ctx) } }
}

/** The old Interval node: every N seconds / minutes / hours. */
export const intervalMapper: NodeMapper = (ctx) => {
  const unit = String(ctx.raw('unit') ?? 'seconds')
  return { type: 'schedule-trigger', params: { mode: 'interval', every: ctx.num('interval', 1), unit: ['seconds', 'minutes', 'hours'].includes(unit) ? unit : 'seconds' } }
}

/** The old Cron node: `triggerTimes.item[]` with every-minute / hour / day / week / month / X / custom modes. */
export const cronMapper: NodeMapper = (ctx) => {
  const items = ctx.list('triggerTimes.item')
  ctx.raw('triggerTimes')
  items.slice(1).forEach(({ path }) => ctx.unmapped(path, 'one schedule per trigger here: only the first time is kept'))
  const t = items[0]?.item ?? { mode: 'everyDay' }
  const m = int(t.minute, 0)
  const h = int(t.hour, 14)
  const cron: Record<string, string> = {
    everyMinute: '* * * * *',
    everyHour: `${m} * * * *`,
    everyDay: `${m} ${h} * * *`,
    everyWeek: `${m} ${h} * * ${int(t.weekday, 1)}`,
    everyMonth: `${m} ${h} ${int(t.dayOfMonth, 1)} * *`,
    custom: String(t.cronExpression ?? '* * * * *'),
  }
  const mode = String(t.mode ?? 'everyDay')
  if (mode === 'everyX') return { type: 'schedule-trigger', params: { mode: 'interval', every: int(t.value, 2), unit: t.unit === 'hours' ? 'hours' : 'minutes', ...timezone(ctx) } }
  return { type: 'schedule-trigger', params: { mode: 'cron', cron: cron[mode] ?? cron.everyDay, ...timezone(ctx) } }
}

const INPUT_TYPES = new Set(['string', 'number', 'boolean', 'object', 'array', 'any'])

export const executeWorkflowTriggerMapper: NodeMapper = (ctx) => {
  const source = String(ctx.raw('inputSource') ?? 'passthrough')
  if (source === 'workflowInputs') {
    const fields = ctx.list('workflowInputs.values').map(({ item, path }) => {
      ctx.raw(path)
      return { name: String(item.name ?? ''), type: INPUT_TYPES.has(String(item.type)) ? String(item.type) : 'any' }
    })
    return { type: 'execute-workflow-trigger', params: { inputSource: 'schema', fields } }
  }
  if (source === 'jsonExample') ctx.unmapped('jsonExample', 'an input schema from a JSON example has no equivalent here: every item is accepted; list the fields instead')
  return { type: 'execute-workflow-trigger', params: { inputSource: 'acceptAll' } }
}
