// Secrets never leave the vault except toward the hosts they authenticate: credentials with distinctive values are used
// by real runs (a request that succeeds, one the server fails, one to a host the credential is not allowed to reach),
// then everything the studio kept or answered is searched for them: every database table, the Redis keys of this
// test, workflow and workspace exports, the credentials API, the audit log, the health answers, the metrics scrape,
// the console output and the JSON log lines (lib/log, at debug level here) of the runs. Only the local server's
// received requests may contain them (proof that the runs used them).
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { closeAppServices } from '../../../lib/services/app'
import { createRedis } from '../../../lib/redis'
import type { RunningWorker } from '../../../workers/runtime/worker-runtime'
import { seedTenant, testRedisUrl, useTestEnv, type SeededTenant } from '../../helpers/db'
import { startTestWorker } from '../../helpers/worker'
import { call, chain, node, waitForStatus } from '../backbone/support'
import * as workflows from '../../../app/api/workflows/route'
import * as run from '../../../app/api/workflows/[id]/run/route'
import * as exportWorkflow from '../../../app/api/workflows/[id]/export/route'
import * as exportWorkspace from '../../../app/api/workspace/export/route'
import * as credentials from '../../../app/api/credentials/route'
import * as credential from '../../../app/api/credentials/[id]/route'
import * as versions from '../../../app/api/credentials/[id]/versions/route'
import * as live from '../../../app/api/health/live/route'
import * as ready from '../../../app/api/health/ready/route'
import * as metrics from '../../../app/api/metrics/route'
import { log } from '../../../lib/log'
import { tapStdout, type LogTap } from '../../helpers/logs'

const SECRETS = {
  bearer: 'zq-BEARER-7f3a91c2e5',
  apiKey: 'zq-APIKEY-b84d02e6aa',
  password: 'zq-PASSWORD-c19e77f0d3',
  limited: 'zq-LIMITED-5e2b8d41f9',
}
/** Each secret as it could travel: raw, and base64 (Basic auth carries user:password so). */
const NEEDLES = [
  ...Object.values(SECRETS),
  ...Object.values(SECRETS).map((s) => Buffer.from(s).toString('base64')),
  Buffer.from(`svc:${SECRETS.password}`).toString('base64'),
]

let t: Awaited<ReturnType<typeof useTestEnv>>
let worker: RunningWorker
let a: SeededTenant
let base: string
const received: IncomingHttpHeaders[] = []
const server = createServer((req, res) => {
  received.push(req.headers)
  if (req.url === '/fail') {
    res.writeHead(500, { 'content-type': 'application/json' })
    return res.end(JSON.stringify({ error: 'upstream broke' }))
  }
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ ok: true, path: req.url }))
})
const consoleOutput: string[] = []
const restoreConsole: Array<() => void> = []
const METRICS_TOKEN = 'secrets-leak-metrics-token'
let logs: LogTap
let logLevel: string

beforeAll(async () => {
  t = await useTestEnv({ AUTERITY_HTTP_ALLOWLIST: '127.0.0.0/8', AUTERITY_METRICS_TOKEN: METRICS_TOKEN })
  // Every line the studio could log, down to debug.
  logs = tapStdout()
  logLevel = log.level
  log.level = 'debug'
  a = await seedTenant(t.db.prisma, { name: 'Leaks' })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[method]
    console[method] = (...args: unknown[]) => {
      consoleOutput.push(args.map((x) => (x instanceof Error ? `${x.message} ${x.stack}` : typeof x === 'string' ? x : safeJson(x))).join(' '))
      original.apply(console, args)
    }
    restoreConsole.push(() => (console[method] = original))
  }
  worker = await startTestWorker(t, { http: { allowList: [new URL(base).host] } })
})
afterAll(async () => {
  restoreConsole.forEach((r) => r())
  logs?.stop()
  if (logLevel) log.level = logLevel
  delete process.env.AUTERITY_METRICS_TOKEN
  await worker?.close()
  server.close()
  await closeAppServices()
  await t?.teardown()
})

function safeJson(x: unknown): string {
  try {
    return JSON.stringify(x)
  } catch {
    return String(x)
  }
}

async function createCredential(name: string, kind: string, data: Record<string, string>, allowedHosts?: string[]): Promise<string> {
  const res = await call(credentials.POST, { method: 'POST', headers: a.headers, body: { name, kind, data, allowedHosts } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json.id
}

const http = (id: string, url: string, credentialId: string) => ({ ...node.http(id, url), params: { method: 'GET', url, credential: credentialId } })

async function runWorkflow(name: string, graph: unknown, input: unknown[] = [{}]) {
  const created = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name, graph } })
  expect(created.status, JSON.stringify(created.json)).toBe(201)
  const started = await call(run.POST, { method: 'POST', headers: a.headers, params: { id: created.json.id }, body: { input } })
  expect(started.status, JSON.stringify(started.json)).toBe(202)
  const execution = await waitForStatus(t.db.prisma, started.json.executionId, ['succeeded', 'failed'])
  return { workflowId: created.json.id as string, execution }
}

async function everythingStored(): Promise<string> {
  const tables = await t.db.prisma.$queryRawUnsafe<{ tablename: string }[]>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)
  const parts: string[] = []
  for (const { tablename } of tables) {
    const rows = await t.db.prisma.$queryRawUnsafe<{ row: string }[]>(`SELECT row_to_json(x)::text AS row FROM "${tablename}" x`)
    parts.push(`${tablename}: ${rows.map((r) => r.row).join('\n')}`)
  }
  const redis = createRedis(testRedisUrl())
  try {
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${t.redis.prefix}*`, 'COUNT', 500)
      cursor = next
      for (const key of keys) {
        const type = await redis.type(key)
        if (type === 'string') parts.push(String(await redis.getBuffer(key)))
        else if (type === 'hash') parts.push(safeJson(await redis.hgetall(key)))
        else if (type === 'list') parts.push(safeJson(await redis.lrange(key, 0, -1)))
        else if (type === 'stream') parts.push(safeJson(await redis.xrange(key, '-', '+')))
        else if (type === 'zset') parts.push(safeJson(await redis.zrange(key, '0', '-1')))
        else if (type === 'set') parts.push(safeJson(await redis.smembers(key)))
      }
    } while (cursor !== '0')
  } finally {
    redis.disconnect()
  }
  return parts.join('\n')
}

function expectNoSecret(where: string, text: string): void {
  for (const needle of NEEDLES) expect(text.includes(needle), `${where} contains a secret (${needle.slice(0, 12)}…)`).toBe(false)
}

it('never lets a secret reach records, logs, errors, exports or API answers; a host not allowed gets nothing', async () => {
  const bearer = await createCredential('Bearer', 'bearer', { token: SECRETS.bearer })
  const apiKey = await createCredential('Header key', 'apiKey', { headerName: 'x-api-key', value: SECRETS.apiKey })
  const basic = await createCredential('Basic', 'basicAuth', { username: 'svc', password: SECRETS.password })
  const limited = await createCredential('Limited', 'bearer', { token: SECRETS.limited }, ['api.example.com', '*.example.org'])
  // A data change makes a second version: both are sealed, both listed.
  expect((await call(credential.PUT, { method: 'PUT', headers: a.headers, params: { id: bearer }, body: { data: { token: SECRETS.bearer } } })).status).toBe(200)

  // Succeeds: three items through two nodes using the bearer token, one using the API key header.
  const ok = await runWorkflow('Uses secrets', chain(node.manual(), http('one', `${base}/ok`, bearer), http('two', `${base}/ok2`, bearer), http('three', `${base}/ok3`, apiKey)), [{ n: 1 }, { n: 2 }, { n: 3 }])
  expect(ok.execution.status, JSON.stringify(ok.execution.error)).toBe('succeeded')
  // Fails at the server, with the basic-auth credential attached.
  const failed = await runWorkflow('Server fails', chain(node.manual(), http('fail', `${base}/fail`, basic)))
  expect(failed.execution.status).toBe('failed')
  // Fails before sending: the credential is limited to other hosts.
  const before = received.length
  const refused = await runWorkflow('Wrong host', chain(node.manual(), http('wrong', `${base}/steal`, limited)))
  expect(refused.execution.status).toBe('failed')
  expect(received.length).toBe(before)
  const step = await t.db.prisma.stepRun.findFirstOrThrow({ where: { executionId: refused.execution.id, nodeId: 'wrong' } })
  expect(JSON.stringify(step.error)).toContain(`Credential \\"Limited\\" may not be sent to ${new URL(base).host}: it is limited to api.example.com, *.example.org`)

  // The server did receive the secrets: the runs really used them.
  const got = JSON.stringify(received)
  expect(got).toContain(`Bearer ${SECRETS.bearer}`)
  expect(got).toContain(SECRETS.apiKey)
  expect(got).toContain(Buffer.from(`svc:${SECRETS.password}`).toString('base64'))
  expect(got).not.toContain(SECRETS.limited)

  // credential.used: once per (execution, credential), by the run, whatever the number of steps and items.
  const used = await t.db.prisma.auditLog.findMany({ where: { action: 'credential.used' }, orderBy: { createdAt: 'asc' } })
  expect(used.map((u) => [u.actorType, u.actorId, u.target]).sort()).toEqual(
    [
      ['run', ok.execution.id, `credential:${bearer}`],
      ['run', ok.execution.id, `credential:${apiKey}`],
      ['run', failed.execution.id, `credential:${basic}`],
      ['run', refused.execution.id, `credential:${limited}`],
    ].sort(),
  )

  const answers: [string, unknown][] = []
  for (const { workflowId } of [ok, failed, refused]) {
    const res = await call(exportWorkflow.GET, { headers: a.headers, params: { id: workflowId } })
    expect(res.status).toBe(200)
    answers.push([`export of ${workflowId}`, res.json])
  }
  const workspace = await exportWorkspace.GET(new Request('http://localhost/api/workspace/export', { headers: a.headers }), { params: Promise.resolve({}) } as never)
  expect(workspace.status).toBe(200)
  answers.push(['workspace export', await workspace.text()])
  answers.push(['credentials list', (await call(credentials.GET, { headers: a.headers })).json])
  for (const id of [bearer, apiKey, basic, limited]) {
    answers.push([`credential ${id}`, (await call(credential.GET, { headers: a.headers, params: { id } })).json])
    answers.push([`versions of ${id}`, (await call(versions.GET, { headers: a.headers, params: { id } })).json])
  }
  answers.push(['health live', (await call(live.GET as never, {})).json])
  answers.push(['health ready', (await call(ready.GET as never, {})).json])
  const scrape = await call(metrics.GET as never, { url: '/api/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
  expect(scrape.status).toBe(200)
  answers.push(['metrics', scrape.json])
  for (const [where, body] of answers) expectNoSecret(where, typeof body === 'string' ? body : JSON.stringify(body))

  const stored = await everythingStored()
  // The dump is real: it holds the step records (the server's error answer, the refusal) and the credentials' rows.
  expect(stored).toContain('upstream broke')
  expect(stored).toContain('may not be sent to')
  expect(stored).toContain(bearer)
  expectNoSecret('database and Redis', stored)
  expectNoSecret('console output', consoleOutput.join('\n'))
  // The tap is real: a line logged now is among the lines searched.
  log.info({ probe: 'secrets-leak' }, 'log tap probe')
  expect(logs.lines().some((l) => l.includes('"probe":"secrets-leak"'))).toBe(true)
  expectNoSecret('log lines', logs.lines().join('\n'))
}, 90_000)
