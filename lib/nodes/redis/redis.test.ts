import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createServer, type AddressInfo } from 'node:net'
import Redis from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Item } from '@/lib/engine/types'
import { createTcpGuard } from '@/lib/net/tcp-guard'
import { startRedisServer } from '@/lib/infra/redis-server'
import { numbered, runFlow } from '@/tests/unit/nodes/flow'

// A real Redis on 127.0.0.1:6379; every key and the ACL user carry this run's prefix and are removed after.
const prefix = `test:redisnode:${randomBytes(6).toString('hex')}:`
const user = `auterity-test-${randomBytes(6).toString('hex')}`
const admin = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true })
const network = createTcpGuard({ allowList: ['127.0.0.1:6379'] })
let closedPort: number

const credentials = {
  local: { kind: 'redis', data: { host: '127.0.0.1', port: '6379' } },
  aclUser: { kind: 'redis', data: { host: '127.0.0.1', port: '6379', username: user, password: 'right-password' } },
  wrongPassword: { kind: 'redis', data: { host: '127.0.0.1', port: '6379', username: user, password: 'wrong-password' } },
  db1: { kind: 'redis', data: { host: '127.0.0.1', port: '6379', database: '1' } },
  notAllowListed: { kind: 'redis', data: { host: '10.0.0.5', port: '6379' } },
  metadata: { kind: 'redis', data: { host: '169.254.169.254', port: '6379' } },
}

async function redis(params: Record<string, unknown>, input: Item[] | AsyncIterable<Item[]>, opts: { pageSize?: number; allow?: string[] } = {}) {
  const flow = await runFlow([{ id: 'r', type: 'redis', params: { credential: 'local', ...params } }], input, {
    credentials: { ...credentials, closed: { kind: 'redis', data: { host: '127.0.0.1', port: String(closedPort) } } },
    services: { network: opts.allow ? createTcpGuard({ allowList: opts.allow }) : network },
    pageSize: opts.pageSize,
  })
  return { error: flow.result.error, items: await flow.output('r'), flow }
}

async function cleanup() {
  let cursor = '0'
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
    if (keys.length) await admin.del(...keys)
    cursor = next
  } while (cursor !== '0')
}

beforeAll(async () => {
  await admin.connect()
  await admin.call('ACL', 'SETUSER', user, 'on', '>right-password', `~${prefix}*`, '+@all')
  // A port nothing listens on: bind one, note it, close it.
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  closedPort = (probe.address() as AddressInfo).port
  await new Promise((resolve) => probe.close(resolve))
})

afterAll(async () => {
  await cleanup()
  await admin.call('ACL', 'DELUSER', user)
  await admin.quit()
})

describe('redis node', () => {
  it('sets keys from expressions, gets them back, JSON parsed or as text', async () => {
    const set = await redis({ operation: 'set', key: `${prefix}order:{{ $json.id }}`, value: '{{ $json }}' }, [{ id: 1, total: 9.5 }, { id: 2, total: 3 }])
    expect(set.items).toEqual([{ id: 1, total: 9.5, written: true }, { id: 2, total: 3, written: true }])
    expect(await admin.get(`${prefix}order:1`)).toBe('{"id":1,"total":9.5}')
    const parsed = await redis({ operation: 'get', key: `${prefix}order:{{ $json.id }}`, parseJson: true, outputField: 'order' }, [{ id: 1 }, { id: 3 }])
    expect(parsed.items).toEqual([{ id: 1, order: { id: 1, total: 9.5 } }, { id: 3, order: null }])
    const text = await redis({ operation: 'get', key: `${prefix}order:2` }, [{}])
    expect(text.items).toEqual([{ value: '{"id":2,"total":3}' }])
  })

  it('stores a value that looks like a command as data', async () => {
    const value = 'x\r\nFLUSHALL\r\nSET y z'
    await redis({ operation: 'set', key: `${prefix}inj`, value }, [{}])
    expect(await admin.get(`${prefix}inj`)).toBe(value)
    expect(await admin.exists('y')).toBe(0)
  })

  it('sets with an expiry, and only if the key is new (NX) or exists (XX)', async () => {
    await redis({ operation: 'set', key: `${prefix}ttl`, value: 'a', expire: 100 }, [{}])
    expect(await admin.ttl(`${prefix}ttl`)).toBeGreaterThan(0)
    const nx = await redis({ operation: 'set', key: `${prefix}ttl`, value: 'b', condition: 'ifNotExists' }, [{}])
    expect(nx.items[0].written).toBe(false)
    const xx = await redis({ operation: 'set', key: `${prefix}absent`, value: 'b', condition: 'ifExists' }, [{}])
    expect(xx.items[0].written).toBe(false)
    expect(await admin.mget(`${prefix}ttl`, `${prefix}absent`)).toEqual(['a', null])
  })

  it('deletes keys and says how many went', async () => {
    await admin.set(`${prefix}del`, '1')
    const { items } = await redis({ operation: 'delete', key: `${prefix}{{ $json.k }}` }, [{ k: 'del' }, { k: 'del' }])
    expect(items.map((i) => i.deleted)).toEqual([1, 0])
  })

  it('increments by a number, with an expiry', async () => {
    const { items } = await redis({ operation: 'incr', key: `${prefix}hits:{{ $json.u }}`, by: '{{ $json.n }}', expire: 60 }, [{ u: 'a', n: 1 }, { u: 'a', n: 5 }, { u: 'b', n: -2 }])
    expect(items.map((i) => i.value)).toEqual([1, 6, -2])
    expect(await admin.ttl(`${prefix}hits:a`)).toBeGreaterThan(0)
  })

  it('pushes and pops at either end of a list', async () => {
    await redis({ operation: 'push', key: `${prefix}list`, value: '{{ $json.v }}' }, [{ v: 'a' }, { v: { n: 1 } }])
    const left = await redis({ operation: 'push', key: `${prefix}list`, side: 'left', value: 'first' }, [{}])
    expect(left.items[0].length).toBe(3)
    expect(await admin.lrange(`${prefix}list`, 0, -1)).toEqual(['first', 'a', '{"n":1}'])
    const popped = await redis({ operation: 'pop', key: `${prefix}list`, side: 'right', parseJson: true }, [{}])
    expect(popped.items[0].value).toEqual({ n: 1 })
    const head = await redis({ operation: 'pop', key: `${prefix}list`, side: 'left' }, [{}, {}, {}])
    expect(head.items.map((i) => i.value)).toEqual(['first', 'a', null])
  })

  it('publishes to a channel', async () => {
    const sub = new Redis({ host: '127.0.0.1', port: 6379 })
    const got: string[] = []
    await sub.subscribe(`${prefix}chan`)
    const received = new Promise<void>((resolve) => sub.on('message', (_c, m) => got.push(m) === 2 && resolve()))
    const { items } = await redis({ operation: 'publish', channel: `${prefix}chan`, message: '{{ $json }}' }, [{ a: 1 }, { b: 'x' }])
    await received
    await sub.quit()
    expect(items.map((i) => i.receivers)).toEqual([1, 1])
    expect(got).toEqual(['{"a":1}', '{"b":"x"}'])
  })

  it('finds keys with SCAN, up to maxKeys', async () => {
    await admin.mset(...Array.from({ length: 30 }, (_, i) => [`${prefix}scan:${i}`, String(i)]).flat())
    const all = await redis({ operation: 'keys', pattern: `${prefix}scan:*` }, [{}])
    expect((all.items[0].keys as string[]).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `${prefix}scan:${i}`).sort())
    const some = await redis({ operation: 'keys', pattern: `${prefix}scan:*`, maxKeys: 7, outputField: 'found' }, [{}])
    expect(some.items[0].found).toHaveLength(7)
  })

  it('reads server info and uses the credential\'s database', async () => {
    const { items } = await redis({ operation: 'info' }, [{}])
    expect((items[0].info as Record<string, string>).redis_version).toMatch(/^\d+\.\d+/)
    await redis({ operation: 'set', credential: 'db1', key: `${prefix}db1`, value: 'in 1' }, [{}])
    expect(await admin.exists(`${prefix}db1`)).toBe(0)
    const other = new Redis({ host: '127.0.0.1', port: 6379, db: 1 })
    expect(await other.get(`${prefix}db1`)).toBe('in 1')
    await other.del(`${prefix}db1`)
    await other.quit()
  })

  it('logs in as an ACL user', async () => {
    const { items, error } = await redis({ operation: 'set', credential: 'aclUser', key: `${prefix}acl`, value: 'ok' }, [{}])
    expect(error).toBeUndefined()
    expect(items[0].written).toBe(true)
  })

  it('sends a page of 10,000 items as one pipeline', async () => {
    const flow = await redis({ operation: 'set', key: `${prefix}bulk:{{ $json.i }}`, value: '{{ $json.i }}' }, numbered(20_000, 10_000), { pageSize: 10_000 })
    expect(flow.error).toBeUndefined()
    expect(flow.flow.largestPage('redis')).toBe(10_000)
    expect(flow.flow.calls('redis')).toBe(2)
    expect(await admin.mget(`${prefix}bulk:0`, `${prefix}bulk:9999`, `${prefix}bulk:19999`)).toEqual(['0', '9999', '19999'])
  })

  it('fails a refused connection as retryable, naming host:port', async () => {
    const { error } = await redis({ operation: 'get', credential: 'closed', key: 'k' }, [{}], { allow: [`127.0.0.1:${closedPort}`] })
    expect(error).toMatchObject({ code: 'REDIS_CONNECTION_FAILED', retryable: true })
    expect(error?.message).toContain(`127.0.0.1:${closedPort}`)
  })

  it('fails a wrong password as not retryable, naming the credential and not the password', async () => {
    const { error } = await redis({ operation: 'get', credential: 'wrongPassword', key: `${prefix}x` }, [{}])
    expect(error).toMatchObject({ code: 'REDIS_AUTH_FAILED', retryable: false, field: 'credential' })
    expect(error?.message).toContain('"wrongPassword"')
    expect(JSON.stringify(error)).not.toContain('wrong-password')
  })

  it.each([
    ['a private host not allow-listed', 'notAllowListed', '10.0.0.5'],
    ['the metadata address', 'metadata', '169.254.169.254'],
  ])('refuses %s before connecting', async (_name, credential, host) => {
    const { error } = await redis({ operation: 'get', credential, key: 'k' }, [{}])
    expect(error).toMatchObject({ code: 'SSRF_BLOCKED', field: 'credential', retryable: false })
    expect(error?.message).toContain(host)
  })

  it('refuses loopback Redis unless its host:port is allow-listed', async () => {
    const { error } = await redis({ operation: 'info' }, [{}], { allow: ['127.0.0.1:6380'] })
    expect(error).toMatchObject({ code: 'SSRF_BLOCKED' })
  })

  it('fails a command the server rejects naming the item, and bad JSON naming parseJson', async () => {
    await admin.rpush(`${prefix}alist`, 'a')
    const wrongType = await redis({ operation: 'get', key: `${prefix}{{ $json.k }}` }, [{ k: 'nothing' }, { k: 'alist' }])
    expect(wrongType.error).toMatchObject({ code: 'REDIS_COMMAND_FAILED', retryable: false })
    expect(wrongType.error?.message).toMatch(/^Item 1: .*WRONGTYPE/)
    await admin.set(`${prefix}notjson`, '{oops')
    const notJson = await redis({ operation: 'get', key: `${prefix}notjson`, parseJson: true }, [{}])
    expect(notJson.error).toMatchObject({ code: 'REDIS_NOT_JSON', field: 'parseJson' })
  })

  it.each([
    ['key', { operation: 'get', key: '' }, 'MISSING_KEY'],
    ['value', { operation: 'set', key: `${prefix}v` }, 'MISSING_VALUE'],
    ['channel', { operation: 'publish', message: 'm' }, 'MISSING_CHANNEL'],
    ['credential', { operation: 'get', key: 'k', credential: '' }, 'CREDENTIAL_MISSING'],
    ['outputField', { operation: 'get', key: 'k', outputField: '__proto__.x' }, 'RESERVED_KEY'],
  ])('fails naming %s when it is missing or unusable', async (field, params, code) => {
    const { error } = await redis(params, [{}])
    expect(error).toMatchObject({ code, field })
  })

  it('fails clearly when the connection is killed mid-run, and the next run works', async () => {
    // A Redis of this test's own: pausing writes server-wide must not slow the suites sharing the machine's Redis.
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'redis-node-'))
    const own = await startRedisServer(dir)
    const port = new URL(own.url).port
    const ownAdmin = new Redis(own.url)
    const local = { ownLocal: { kind: 'redis', data: { host: '127.0.0.1', port } } }
    const run = (params: Record<string, unknown>, input: Item[] | AsyncIterable<Item[]>, pageSize?: number) =>
      runFlow([{ id: 'r', type: 'redis', params: { credential: 'ownLocal', ...params } }], input, {
        credentials: local,
        services: { network: createTcpGuard({ allowList: [`127.0.0.1:${port}`] }) },
        pageSize,
      })
    try {
      // Writes are paused so the node's pipeline waits; the test finds its connection and kills it.
      await ownAdmin.call('CLIENT', 'PAUSE', '5000', 'WRITE')
      const running = run({ operation: 'set', key: 'killed:{{ $json.i }}', value: 'v' }, numbered(100, 100), 100)
      for (let killed = 0; killed === 0; ) {
        const list = String(await ownAdmin.call('CLIENT', 'LIST'))
        const victim = list.split('\n').find((line) => line.includes('name=auterity-redis-node') && / cmd=set /.test(line))
        if (victim) killed = Number(await ownAdmin.call('CLIENT', 'KILL', 'ID', /\bid=(\d+)/.exec(victim)![1]))
        else await new Promise((resolve) => setTimeout(resolve, 10))
      }
      const { error } = (await running).result
      expect(error).toMatchObject({ code: 'REDIS_CONNECTION_FAILED', retryable: true })
      expect(error?.message).toContain(`127.0.0.1:${port}`)
      await ownAdmin.call('CLIENT', 'UNPAUSE')
      const next = await run({ operation: 'set', key: 'after', value: 'v' }, [{}])
      expect(next.result.error).toBeUndefined()
      expect(await ownAdmin.get('after')).toBe('v')
    } finally {
      ownAdmin.disconnect()
      await own.stop()
      await fs.rm(dir, { recursive: true, force: true })
    }
  })
})
