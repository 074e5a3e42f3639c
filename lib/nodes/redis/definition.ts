import { z } from 'zod'
import type { NodeType } from '../define'
import { credentialParam, labelledEnum } from '../params'

export const REDIS_OPERATIONS = ['get', 'set', 'delete', 'incr', 'keys', 'push', 'pop', 'publish', 'info'] as const
export type RedisOperation = (typeof REDIS_OPERATIONS)[number]

/** Where each operation writes when outputField is empty. */
export const DEFAULT_OUTPUT: Record<RedisOperation, string> = {
  get: 'value',
  set: 'written',
  delete: 'deleted',
  incr: 'value',
  keys: 'keys',
  push: 'length',
  pop: 'value',
  publish: 'receivers',
  info: 'info',
}

export const redisParams = z.object({
  operation: z.enum(REDIS_OPERATIONS).meta({ optionLabels: { get: 'Get', set: 'Set', delete: 'Delete', incr: 'Increment', keys: 'Find keys', push: 'Push to a list', pop: 'Pop from a list', publish: 'Publish to a channel', info: 'Server info' } }).default('get').describe('get, set, delete, incr (increment by a number), keys (find keys by pattern), push or pop (lists), publish (to a channel) or info (server information)'),
  credential: credentialParam('A Redis credential: host, port, password, database, TLS'),
  key: z.string().default('').describe('get/set/delete/incr/push/pop: the key, usually an expression such as orders:{{ $json.id }}').meta({ ui: 'expression' }),
  value: z.unknown().optional().describe('set/push: the value. Text is stored as it is; numbers and booleans as their text; objects and arrays as JSON').meta({ ui: 'expression' }),
  expire: z.coerce.number().int().min(0).default(0).describe('set/incr: the key expires after this many seconds (0: never; incr sets it again on every increment)').meta({ title: 'Expire after (seconds)' }),
  condition: labelledEnum({ always: 'Always', ifNotExists: 'Only if the key does not exist (NX)', ifExists: 'Only if the key exists (XX)' }).default('always').describe('set: always, only if the key does not exist yet (NX) or only if it exists (XX); written says whether it was set'),
  by: z.coerce.number().int().default(1).describe('incr: the whole number to add (negative to decrement)'),
  parseJson: z.boolean().default(false).describe('get/pop: parse the value as JSON (an error if it is not JSON)'),
  pattern: z.string().default('*').describe('keys: a glob pattern such as "orders:*"'),
  maxKeys: z.coerce.number().int().min(1).max(100_000).default(1000).describe('keys: stop after this many keys (1 to 100,000); keys are found with SCAN, never KEYS'),
  side: labelledEnum({ left: 'Left (start)', right: 'Right (end)' }).default('right').describe('push/pop: the end of the list (push right + pop left is a queue)'),
  channel: z.string().default('').describe('publish: the channel').meta({ ui: 'expression' }),
  message: z.unknown().optional().describe('publish: the message (objects are sent as JSON)').meta({ ui: 'expression' }),
  outputField: z.string().trim().default('').describe('Field the result is written to (empty: value, written, deleted, keys, length, receivers or info after the operation); the other fields are kept'),
})
export type RedisParams = z.infer<typeof redisParams>

export const redisNode: NodeType<RedisParams, 'network'> = {
  type: 'redis',
  version: 1,
  label: 'Redis',
  description: 'Gets, sets, deletes and increments keys, pushes to and pops from lists, finds keys and publishes messages in Redis.',
  icon: 'Database',
  category: 'data',
  docs: {
    description: [
      'Runs one Redis command per item, on the server of a *Redis* credential, and writes its result to `outputField` (the other fields are kept). All commands of a page are sent together (pipelined); one connection is opened per page and closed after it.',
      '**get** reads a key (null when missing; `parseJson` parses it). **set** writes `value` (text as it is, objects as JSON), optionally expiring after `expire` seconds and only if the key does not exist (NX) or does (XX): `written` says whether it was set. **delete** writes how many keys were removed; **incr** adds `by` and writes the new number. **push** and **pop** work on a list at its left or right end. **publish** sends `message` to `channel` and writes how many subscribers got it. **keys** finds up to `maxKeys` keys matching `pattern` with SCAN (never KEYS, which blocks the server). **info** writes the server\'s INFO fields.',
      'Keys and values are arguments of one command, never parsed as commands. The host is checked against the outbound network policy before connecting: private and loopback addresses need AUTERITY_HTTP_ALLOWLIST (e.g. "redis.internal:6379") or AUTERITY_HTTP_ALLOW_PRIVATE. A refused or dropped connection fails the step as retryable (REDIS_CONNECTION_FAILED), a wrong password as REDIS_AUTH_FAILED naming the credential, a command the server rejects (e.g. WRONGTYPE) as REDIS_COMMAND_FAILED naming the item.',
    ].join('\n\n'),
    examples: [
      {
        title: 'Cache an order for an hour',
        params: { operation: 'set', credential: 'cred_redis', key: 'order:{{ $json.id }}', value: '{{ $json }}', expire: 3600 },
        input: [{ id: 7, total: 9.5 }],
        output: { main: [{ id: 7, total: 9.5, written: true }] },
      },
      {
        title: 'Count requests per user',
        params: { operation: 'incr', credential: 'cred_redis', key: 'hits:{{ $json.user }}', expire: 60, outputField: 'hits' },
        input: [{ user: 'ada' }],
      },
      {
        title: 'Take the next job from a queue',
        params: { operation: 'pop', credential: 'cred_redis', key: 'jobs', side: 'left', parseJson: true, outputField: 'job' },
      },
    ],
  },
  params: redisParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  credential: { param: 'credential', kinds: ['redis'] },
  services: ['network'],
  sideEffects: true,
  mode: 'batch',
  load: () => import('./execute'),
}
