import type Redis from 'ioredis'
import { NodeError, type Item } from '../../engine/types'
import type { Executor } from '../define'
import { parsePath, setPath } from '../paths'
import { connectionError, openRedis, type RedisTarget } from './connect'
import { DEFAULT_OUTPUT, type RedisParams } from './definition'

type Command = [name: string, ...args: (string | number)[]]

/** Text as it is, numbers and booleans as their text, objects and arrays as JSON: a value is data, never a command. */
function asText(value: unknown, field: string, index: number): string {
  if (value === undefined || value === null) throw new NodeError(`Item ${index}: ${field} is empty`, { code: 'MISSING_VALUE', field, details: { item: index } })
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

function requireKey(p: RedisParams, index: number): string {
  if (!p.key) throw new NodeError(`Item ${index}: ${p.operation} needs a key`, { code: 'MISSING_KEY', field: 'key', details: { item: index } })
  return p.key
}

/** The commands of one item, sent in the page's pipeline; the first one's reply is the item's result. */
function commandsFor(p: RedisParams, index: number): Command[] {
  switch (p.operation) {
    case 'get':
      return [['get', requireKey(p, index)]]
    case 'set': {
      const cmd: Command = ['set', requireKey(p, index), asText(p.value, 'value', index)]
      if (p.expire > 0) cmd.push('EX', p.expire)
      if (p.condition !== 'always') cmd.push(p.condition === 'ifNotExists' ? 'NX' : 'XX')
      return [cmd]
    }
    case 'delete':
      return [['del', requireKey(p, index)]]
    case 'incr': {
      const key = requireKey(p, index)
      return p.expire > 0 ? [['incrby', key, p.by], ['expire', key, p.expire]] : [['incrby', key, p.by]]
    }
    case 'push':
      return [[p.side === 'left' ? 'lpush' : 'rpush', requireKey(p, index), asText(p.value, 'value', index)]]
    case 'pop':
      return [[p.side === 'left' ? 'lpop' : 'rpop', requireKey(p, index)]]
    case 'publish':
      if (!p.channel) throw new NodeError(`Item ${index}: publish needs a channel`, { code: 'MISSING_CHANNEL', field: 'channel', details: { item: index } })
      return [['publish', p.channel, asText(p.message, 'message', index)]]
    case 'info':
      return [['info']]
    case 'keys':
      throw new Error('keys runs its own SCAN loop')
  }
}

function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':')
    if (at > 0 && !line.startsWith('#')) out[line.slice(0, at)] = line.slice(at + 1)
  }
  return out
}

function result(p: RedisParams, reply: unknown, index: number): unknown {
  switch (p.operation) {
    case 'set':
      return reply === 'OK'
    case 'info':
      return parseInfo(String(reply))
    case 'get':
    case 'pop':
      if (!p.parseJson || reply === null) return reply
      try {
        return JSON.parse(String(reply))
      } catch {
        throw new NodeError(`Item ${index}: the value of "${p.key}" is not JSON (turn parseJson off to read it as text)`, { code: 'REDIS_NOT_JSON', field: 'parseJson', details: { item: index } })
      }
    default:
      return reply
  }
}

/** SCAN until `maxKeys` keys or the end of the keyspace: KEYS would block the server on a large database. */
async function scanKeys(client: Redis, pattern: string, maxKeys: number): Promise<string[]> {
  const found = new Set<string>()
  let cursor = '0'
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000)
    for (const k of keys) if (found.size < maxKeys) found.add(k)
    cursor = next
  } while (cursor !== '0' && found.size < maxKeys)
  return [...found]
}

function commandError(err: Error, target: RedisTarget, index: number): NodeError {
  // A reply error is the server's verdict on this command (WRONGTYPE, not an integer...); anything else is the link.
  if (err.name !== 'ReplyError') return connectionError(err, target)
  return new NodeError(`Item ${index}: Redis refused the command: ${err.message}`, { code: 'REDIS_COMMAND_FAILED', retryable: false, details: { item: index } })
}

export const execute: Executor<RedisParams, 'network'> = async (ctx) => {
  if (ctx.params.outputField) parsePath(ctx.params.outputField, 'outputField')
  if (ctx.items.length === 0) return { main: [] }
  const params: RedisParams[] = []
  for (let i = 0; i < ctx.items.length; i++) params.push(await ctx.paramsFor(i))
  const { client, target } = await openRedis(await ctx.credential(), ctx.services.network, ctx.signal)
  try {
    const replies: unknown[] = new Array(ctx.items.length)
    const pipeline = client.pipeline()
    const first: number[] = []
    let sent = 0
    for (let i = 0; i < params.length; i++) {
      if (params[i].operation === 'keys') continue
      const commands = commandsFor(params[i], ctx.inputOffset + i)
      first[i] = sent
      for (const [name, ...args] of commands) pipeline.call(name, ...args)
      sent += commands.length
    }
    const settled = sent > 0 ? await pipeline.exec().catch((err: Error) => Promise.reject(connectionError(err, target))) : []
    for (let i = 0; i < params.length; i++) {
      const index = ctx.inputOffset + i
      if (params[i].operation === 'keys') {
        replies[i] = await scanKeys(client, params[i].pattern, params[i].maxKeys).catch((err: Error) => Promise.reject(commandError(err, target, index)))
        continue
      }
      const entry = settled?.[first[i]]
      if (!entry) throw connectionError(new Error('the connection closed before the reply came'), target)
      const [err, reply] = entry
      if (err) throw commandError(err, target, index)
      replies[i] = result(params[i], reply, index)
    }
    const out: Item[] = ctx.items.map((item, i) => {
      const copy = structuredClone(item)
      setPath(copy, params[i].outputField || DEFAULT_OUTPUT[params[i].operation], replies[i], 'outputField')
      return copy
    })
    return { main: out }
  } finally {
    client.disconnect()
  }
}
