// Postgres and MySQL (v1: executeQuery/insert/update; v2+: executeQuery, select, insert, upsert, update, delete),
// Redis, Send Email (v1, v2), RabbitMQ and MQTT → postgres, mysql, redis, send-email, rabbitmq, mqtt.
// Credentials never come across: each node's report asks for one of ours.
import { isRecord, type NodeContext, type NodeMapper } from '../context'

/** n8n v2 "resource locator" params ({ __rl, value, mode }) or plain text. */
function locator(ctx: NodeContext, path: string): string {
  const raw = ctx.raw(path)
  const value = isRecord(raw) ? raw.value : raw
  return typeof value === 'string' ? String(ctx.convert(value, `parameters.${path}`)) : ''
}

const WHERE: Record<string, string> = { equal: '=', '!=': '!=', LIKE: 'like', '>': '>', '<': '<', '>=': '>=', '<=': '<=', 'IS NULL': 'isNull', 'IS NOT NULL': 'isNotNull' }

function sqlTable(ctx: NodeContext): string {
  const table = locator(ctx, 'table')
  const schema = ctx.version >= 2 ? locator(ctx, 'schema') : ctx.text('schema', '')
  return schema && schema !== 'public' && table ? `${schema}.${table}` : table
}

function sqlV2(ctx: NodeContext, operation: string): Record<string, unknown> | null {
  if (operation === 'executeQuery') {
    const replacements = ctx.text('options.queryReplacement', '')
    const queryParams = replacements ? replacements.split(',').map((s) => s.trim()) : []
    return { operation, query: ctx.text('query', ''), queryParams }
  }
  const table = sqlTable(ctx)
  if (operation === 'select' || operation === 'deleteTable') {
    if (operation === 'deleteTable' && (ctx.raw('deleteCommand') ?? 'truncate') !== 'delete') {
      ctx.unmapped('deleteCommand', 'truncating or dropping a table has no equivalent here (our delete removes the rows matching where)')
      return null
    }
    const where = ctx.list('where.values').flatMap(({ item, path }) => {
      ctx.raw(path)
      const operator = WHERE[String(item.condition ?? 'equal')]
      if (!operator) {
        ctx.unmapped(`${path}.condition`, `the condition ${String(item.condition)} has no equivalent here; it was left out`)
        return []
      }
      return [{ column: ctx.text(`${path}.column`, ''), operator, value: ctx.value(`${path}.value`, '') }]
    })
    const combineConditions = ctx.raw('combineConditions') === 'OR' ? 'or' : 'and'
    if (operation === 'deleteTable') return { operation: 'delete', table, where, combineConditions }
    const sort = ctx.list('sort.values').map(({ item, path }) => {
      ctx.raw(path)
      return { column: ctx.text(`${path}.column`, ''), direction: item.direction === 'DESC' ? 'desc' : 'asc' }
    })
    const limit = ctx.raw('returnAll') === true ? 0 : ctx.num('limit', 50)
    return { operation, table, where, combineConditions, sort, limit }
  }
  if (operation === 'insert' || operation === 'update' || operation === 'upsert') {
    const auto = (ctx.raw('columns.mappingMode') ?? 'defineBelow') === 'autoMapInputData'
    const values = ctx.raw('columns.value')
    const columns = isRecord(values) ? Object.keys(values) : []
    if (!auto) ctx.unmapped('columns.value', 'column values given one by one have no equivalent here: the listed columns take the item\'s fields of the same name; add a Set node before it for computed values', values)
    const match = ctx.raw('columns.matchingColumns')
    ctx.raw('columns')
    return { operation, table, columnMode: auto ? 'auto' : 'list', columns, matchColumns: Array.isArray(match) ? match.map(String) : [] }
  }
  ctx.unmapped('operation', `the operation ${operation} has no equivalent here`)
  return null
}

/** v1: executeQuery, insert and update with comma-separated columns; `additionalFields.queryParams` names fields. */
function sqlV1(ctx: NodeContext, operation: string): Record<string, unknown> | null {
  if (operation === 'executeQuery') {
    const names = ctx.text('additionalFields.queryParams', '').split(',').map((s) => s.trim()).filter(Boolean)
    return { operation, query: ctx.text('query', ''), queryParams: names.map((n) => `{{ $json[${JSON.stringify(n)}] }}`) }
  }
  if (operation === 'insert' || operation === 'update') {
    const columns = ctx.text('columns', '').split(',').map((s) => s.trim().replace(/:.*$/, '')).filter(Boolean)
    const updateKey = ctx.text('updateKey', 'id')
    return { operation, table: sqlTable(ctx), columnMode: 'list', columns, matchColumns: operation === 'update' ? [updateKey] : [] }
  }
  ctx.unmapped('operation', `the operation ${operation} has no equivalent here`)
  return null
}

const sqlMapper =
  (type: 'postgres' | 'mysql'): NodeMapper =>
  (ctx) => {
    const operation = String(ctx.raw('operation') ?? 'insert')
    const params = ctx.version >= 2 ? sqlV2(ctx, operation) : sqlV1(ctx, operation)
    ctx.raw('options')
    return params && { type, params }
  }

export const postgresMapper = sqlMapper('postgres')
export const mysqlMapper = sqlMapper('mysql')

export const redisMapper: NodeMapper = (ctx) => {
  const operation = String(ctx.raw('operation') ?? 'info')
  const outputField = ctx.text('propertyName', '')
  const expire = ctx.raw('expire') === true ? ctx.num('ttl', 60) : 0
  const side = ctx.raw('tail') === true ? 'right' : 'left'
  const byOperation: Record<string, Record<string, unknown>> = {
    get: { key: ctx.text('key', ''), outputField },
    set: { key: ctx.text('key', ''), value: ctx.value('value', ''), expire },
    delete: { key: ctx.text('key', '') },
    incr: { key: ctx.text('key', ''), expire, outputField },
    keys: { pattern: ctx.text('keyPattern', '*') },
    push: { key: ctx.text('list', ''), value: ctx.value('messageData', ''), side },
    pop: { key: ctx.text('list', ''), side, outputField },
    publish: { channel: ctx.text('channel', ''), message: ctx.value('messageData', '') },
    info: {},
  }
  if (!byOperation[operation]) {
    ctx.unmapped('operation', `the Redis operation ${operation} has no equivalent here`)
    return null
  }
  return { type: 'redis', params: { operation, ...byOperation[operation] } }
}

export const emailSendMapper: NodeMapper = (ctx) => {
  // v1 sent both bodies; v2's default format was text, v2.1's html.
  const format = String(ctx.raw('emailFormat') ?? (ctx.version >= 2.1 ? 'html' : ctx.version >= 2 ? 'text' : 'both'))
  const attachments = ctx.text(ctx.version >= 2 ? 'options.attachments' : 'attachments', '').split(',').map((s) => s.trim()).filter(Boolean)
  return {
    type: 'send-email',
    params: {
      from: ctx.text('fromEmail', ''),
      to: ctx.text('toEmail', ''),
      cc: ctx.text(ctx.version >= 2 ? 'options.ccEmail' : 'ccEmail', ''),
      bcc: ctx.text(ctx.version >= 2 ? 'options.bccEmail' : 'bccEmail', ''),
      replyTo: ctx.text('options.replyTo', ''),
      subject: ctx.text('subject', ''),
      text: format === 'html' ? '' : ctx.text('text', ''),
      html: format === 'text' ? '' : ctx.text('html', ''),
      attachments,
    },
  }
}

/** RabbitMQ and MQTT send the whole item unless `sendInputData` is off; then `message` is the text sent. */
function content(ctx: NodeContext): Record<string, unknown> {
  if (ctx.raw('sendInputData') !== false) return { contentMode: 'json' }
  ctx.unmapped('message', 'a message text of its own has no equivalent here: set it into a field with a Set node first and name that field as contentField; the whole item is sent')
  return { contentMode: 'json' }
}

export const rabbitmqMapper: NodeMapper = (ctx) => {
  if ((ctx.raw('operation') ?? 'sendMessage') !== 'sendMessage') {
    ctx.unmapped('operation', 'only sending messages has an equivalent here')
    return null
  }
  const exchange = ctx.raw('mode') === 'exchange'
  const headers = ctx.list('options.headers.header').map(({ path }) => {
    ctx.raw(path)
    return { name: ctx.text(`${path}.key`, ''), value: ctx.text(`${path}.value`, '') }
  })
  return {
    type: 'rabbitmq',
    params: exchange
      ? { target: 'exchange', exchange: ctx.text('exchange', ''), routingKey: ctx.text('routingKey', ''), headers, ...content(ctx) }
      : { target: 'queue', queue: ctx.text('queue', ''), headers, ...content(ctx) },
  }
}

export const mqttMapper: NodeMapper = (ctx) => ({
  type: 'mqtt',
  params: { topic: ctx.text('topic', ''), qos: Number(ctx.raw('options.qos') ?? 0), retain: ctx.raw('options.retain') === true, ...content(ctx) },
})
