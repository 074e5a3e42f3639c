// `npm start` as a user gets it, side by side with Node-RED (issue 19). The bench spawns `npm start` itself — whatever
// the script is at the time — with its defaults, except a fresh data directory, a free PORT, a private queue prefix
// (the machine's Redis is shared) and, on the first start, the owner's email, password and API key (so it can call the
// API). It creates the webhook workflow through the public API (Webhook → Set → Code sums 100 numbers → Respond,
// answered when the run finishes, every step recorded) and loads it with Debian's `wrk` and ../shared/peers/post.lua at
// 10 and 50 connections, alternating with Node-RED running the same flow when AUTERITY_BENCH_NODERED names the folder
// it is installed in. Memory is PSS of every process of `npm start`'s tree (so shared pages count once): idle, under
// load and a minute after. Last, a warm start: a plain `npm start` on the same data directory, spawn to the first
// webhook answered.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort, processTree, pssKiB, readProcesses, treeMemory, type ProcMemory } from './processes'
import type { BenchRow } from './types'

const root = path.resolve(import.meta.dirname, '..')
function setting(name: string, fallback: number): number {
  const n = Number(process.env[name] ?? fallback)
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number of seconds or rounds, got "${process.env[name]}"`)
  return n
}
const SECONDS = setting('STUDIO_BENCH_SECONDS', 20)
const ROUNDS = Math.max(1, setting('STUDIO_BENCH_ROUNDS', 3))
const WARMUP_S = setting('STUDIO_BENCH_WARMUP_SECONDS', 5)
const SETTLE_S = setting('STUDIO_BENCH_SETTLE_SECONDS', 30)
const AFTER_S = setting('STUDIO_BENCH_AFTER_SECONDS', 60)
const READY_TIMEOUT_S = setting('STUDIO_BENCH_READY_TIMEOUT_SECONDS', 600)
/** The folder with post.lua (the wrk script) and Node-RED's flow and settings. */
const PEERS = path.resolve(process.env.AUTERITY_BENCH_PEERS ?? path.join(root, '../shared/peers'))
/** A scratch folder where node-red is installed (never a dependency of the studio); unset: no Node-RED rows. */
const NODE_RED = process.env.AUTERITY_BENCH_NODERED
const CONNECTIONS = [10, 50]
const BODY = JSON.stringify({ values: Array.from({ length: 100 }, (_, i) => i + 1) })
const MB = 1024 / 1e6 // KiB → MB (10^6 bytes), the unit of the bars

const GRAPH = {
  nodes: [
    { id: 'hook', type: 'webhook-trigger', name: 'Webhook', position: { x: 0, y: 0 }, params: { path: 'bench', method: 'POST', responseMode: 'lastNode' } },
    { id: 'set', type: 'set', name: 'Set tag', position: { x: 250, y: 0 }, params: { fields: [{ name: 'tag', value: 'bench', type: 'string' }], keepOtherFields: true } },
    {
      id: 'code', type: 'code', name: 'Sum', position: { x: 500, y: 0 },
      params: { mode: 'runOnceForAllItems', source: 'return items.map((i) => {\n  let sum = 0\n  for (const x of i.body.values) sum += x\n  return { sum, tag: i.tag }\n})' },
    },
    { id: 'respond', type: 'respond-to-webhook', name: 'Respond', position: { x: 750, y: 0 }, params: { respondWith: 'firstItem' } },
  ],
  edges: [
    { source: 'hook', target: 'set' },
    { source: 'set', target: 'code' },
    { source: 'code', target: 'respond' },
  ],
  notes: [],
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]

function which(cmd: string): string | undefined {
  return (process.env.PATH ?? '').split(':').map((d) => path.join(d, cmd)).find((f) => fs.existsSync(f))
}

interface Running {
  child: ChildProcess
  pid: number
  /** What the root process is called in the memory rows. */
  group: string
  log: string
  startedAt: number
  exited: Promise<string>
}

/** Spawns a command in its own process group with its output appended to `log`. */
function launch(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; log: string; group: string }): Running {
  const fd = fs.openSync(opts.log, 'a')
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', fd, fd] })
  fs.closeSync(fd)
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(String(signal ?? code))))
  return { child, pid: child.pid!, group: opts.group, log: opts.log, startedAt: performance.now(), exited }
}

const tail = (log: string) => fs.readFileSync(log, 'utf8').split('\n').slice(-30).join('\n')

/** Its processes: the tree under it while it runs, and whatever is left in its process group. */
function members(r: Running): number[] {
  const table = readProcesses()
  const alive = r.child.exitCode === null && r.child.signalCode === null
  return [...new Set([...(alive ? processTree(table, r.pid).map((p) => p.pid) : []), ...table.filter((p) => p.pgrp === r.pid).map((p) => p.pid)])]
}

/** Ctrl-C in a terminal: SIGINT to the process group; resolves once every process is gone (SIGKILL after 60 s). */
async function stop(r: Running): Promise<number> {
  const t0 = performance.now()
  const pids = members(r)
  const exists = (pid: number) => fs.existsSync(`/proc/${pid}`)
  try {
    process.kill(-r.pid, 'SIGINT')
  } catch {
    // the group is gone already
  }
  const deadline = Date.now() + 60_000
  while (pids.some(exists) && Date.now() < deadline) await sleep(100)
  const left = pids.filter(exists)
  for (const pid of left) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // ended meanwhile
    }
  }
  if (left.length) console.log(`  ${left.length} process(es) still there 60 s after Ctrl-C, killed: ${left.join(', ')}`)
  return (performance.now() - t0) / 1000
}

/**
 * Retries `attempt` until it returns a value, the process ends or the time is up. With `timeline`, prints the lines
 * the process writes meanwhile with the seconds since it was spawned: where a start spends its time.
 */
async function poll<T>(what: string, r: Running, timeoutS: number, attempt: () => Promise<T | undefined>, timeline = false): Promise<T> {
  let ended: string | undefined
  void r.exited.then((code) => (ended = code))
  const deadline = Date.now() + timeoutS * 1000
  let printed = 0
  const echo = () => {
    const lines = fs.readFileSync(r.log, 'utf8').split('\n').slice(0, -1)
    const at = ((performance.now() - r.startedAt) / 1000).toFixed(1).padStart(6)
    for (const line of lines.slice(printed)) if (line.trim()) console.log(`  ${at} s | ${line.slice(0, 150)}`)
    printed = lines.length
  }
  // On its own timer: an attempt can wait seconds for an answer.
  const echoing = timeline ? setInterval(echo, 100) : undefined
  try {
    for (;;) {
      const got = await attempt().catch(() => undefined)
      if (got !== undefined) return got
      if (ended !== undefined) throw new Error(`exited (${ended}) before ${what}; last lines of ${r.log}:\n${tail(r.log)}`)
      if (Date.now() > deadline) throw new Error(`no ${what} after ${timeoutS} s; last lines of ${r.log}:\n${tail(r.log)}`)
      await sleep(100)
    }
  } finally {
    if (echoing) {
      clearInterval(echoing)
      echo()
    }
  }
}

/** One POST of the workload; the answer when it is the expected {"sum":5050,"tag":"bench"}. */
async function answersSum(url: string): Promise<true | undefined> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY, signal: AbortSignal.timeout(10_000) })
  const body = (await res.json().catch(() => null)) as Record<string, unknown> | null
  return res.status === 200 && body?.sum === 5050 && body?.tag === 'bench' && Object.keys(body).length === 2 ? true : undefined
}

interface WrkResult {
  rps: number
  p99_ms: number
  requests: number
  errors: number
}

function wrk(script: string, url: string, connections: number, seconds: number): Promise<WrkResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', ['-t2', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, url], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '))
      if (code !== 0 || !line) return reject(new Error(`wrk exited with ${code} without a RESULT line:\n${out}`))
      const r = JSON.parse(line.slice(7)) as Record<string, number>
      resolve({ rps: r.rps, p99_ms: r.p99_ms, requests: r.requests, errors: r.non2xx + r.err_connect + r.err_read + r.err_write + r.err_timeout })
    })
  })
}

/** The largest PSS seen per group and in total over some snapshots of one tree (one snapshot: just that). */
interface Memory {
  groups: Map<string, { kib: number; count: number }>
  totalKiB: number
  processes: number
}
function summarize(snapshots: ProcMemory[][]): Memory {
  const groups = new Map<string, { kib: number; count: number }>()
  let totalKiB = 0
  let processes = 0
  for (const snap of snapshots) {
    const now = new Map<string, { kib: number; count: number }>()
    for (const p of snap) now.set(p.group, { kib: (now.get(p.group)?.kib ?? 0) + p.pssKiB, count: (now.get(p.group)?.count ?? 0) + 1 })
    for (const [g, v] of now) groups.set(g, { kib: Math.max(v.kib, groups.get(g)?.kib ?? 0), count: Math.max(v.count, groups.get(g)?.count ?? 0) })
    totalKiB = Math.max(totalKiB, snap.reduce((s, p) => s + p.pssKiB, 0))
    processes = Math.max(processes, snap.length)
  }
  return { groups, totalKiB, processes }
}

function printProcesses(label: string, snap: ProcMemory[]) {
  console.log(`  ${label}: ${snap.length} processes, PSS ${(snap.reduce((s, p) => s + p.pssKiB, 0) * MB).toFixed(1)} MB`)
  for (const p of [...snap].sort((a, b) => b.pssKiB - a.pssKiB)) console.log(`    ${String(p.pid).padStart(7)}  ${(p.pssKiB * MB).toFixed(1).padStart(7)} MB  ${p.group.padEnd(18)} ${p.command.slice(0, 110)}`)
}

/** The machine's Redis on 127.0.0.1:6379, which `npm start` uses when it answers: not part of its process tree. */
function externalRedis(): ProcMemory[] {
  const p = readProcesses().find((x) => x.comm === 'redis-server' && x.cmdline.join(' ').includes(':6379'))
  const kib = p && pssKiB(p.pid)
  return p && kib !== null && kib !== undefined ? [{ pid: p.pid, group: 'redis (external)', pssKiB: kib, command: p.cmdline.join(' ') }] : []
}

/** The user's environment without any studio setting, so `npm start` runs on its defaults. */
function userEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const skip = /^(AUTERITY_|NEXTAUTH_|OTEL_|npm_)|^(DATABASE_URL|REDIS_URL|PORT|HOST|NODE_ENV|LOG_LEVEL)$/
  return { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !skip.test(k))), ...extra } as NodeJS.ProcessEnv
}

async function startNodeRed(dir: string, tmp: string): Promise<{ run: Running; url: string; version: string }> {
  const red = path.join(dir, 'node_modules/node-red')
  if (!fs.existsSync(path.join(red, 'red.js'))) {
    throw new Error(`AUTERITY_BENCH_NODERED=${dir} holds no node_modules/node-red (install it there: cd ${dir} && npm install --no-audit --no-fund node-red@4.1.15)`)
  }
  const version = (JSON.parse(fs.readFileSync(path.join(red, 'package.json'), 'utf8')) as { version: string }).version
  const data = path.join(tmp, 'nodered')
  fs.mkdirSync(data)
  fs.copyFileSync(path.join(PEERS, 'nodered-flows.json'), path.join(data, 'flows.json'))
  const port = await freePort()
  const run = launch(process.execPath, [path.join(red, 'red.js'), '--settings', path.join(PEERS, 'nodered-settings.js'), '--userDir', data, '--port', String(port)], {
    cwd: data, env: { ...process.env, NODE_RED_DATA: data }, log: path.join(tmp, 'nodered.log'), group: 'node-red',
  })
  const url = `http://127.0.0.1:${port}/bench`
  await poll('Node-RED answering {"sum":5050,"tag":"bench"}', run, 60, () => answersSum(url))
  return { run, url, version }
}

export default async function bench(): Promise<BenchRow[]> {
  const script = path.join(PEERS, 'post.lua')
  if (!fs.existsSync(script)) throw new Error(`no wrk script at ${script}: set AUTERITY_BENCH_PEERS to the folder holding post.lua (../shared/peers)`)
  if (!which('wrk')) throw new Error('wrk is not installed (Debian: apt-get install wrk)')
  if (!which('npm')) throw new Error('npm is not on PATH')

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'auterity-bench-studio-'))
  // As root, embedded PostgreSQL runs as the `postgres` user, which must reach the data directory through this one.
  fs.chmodSync(tmp, 0o755)
  const dataDir = path.join(tmp, 'data')
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const apiKey = `ak_bench${randomBytes(16).toString('hex')}`
  const prefix = `bench-studio-${randomBytes(4).toString('hex')}`
  // The only settings given: where its data lives, its port and a private queue prefix (the machine's Redis is shared
  // with other studios; the prefix changes key names, not work); on the first start also the owner's sign-in and API
  // key. The warm start is a plain `npm start` again: the owner and the key are in the database by then.
  const warmEnv = userEnv({ AUTERITY_DATA_DIR: dataDir, PORT: String(port), AUTERITY_QUEUE_PREFIX: prefix })
  const coldEnv = { ...warmEnv, AUTERITY_ADMIN_EMAIL: 'bench@example.test', AUTERITY_ADMIN_PASSWORD: `bench-${randomBytes(8).toString('hex')}`, AUTERITY_API_KEY: apiKey }
  const startStudio = (log: string, env: NodeJS.ProcessEnv) => launch('npm', ['start'], { cwd: root, env, log: path.join(tmp, log), group: 'npm' })
  const memory = (r: Running | undefined) => (r ? treeMemory(r.pid, r.group) : [])
  const rows: BenchRow[] = []
  let studio: Running | undefined
  let nodeRed: Awaited<ReturnType<typeof startNodeRed>> | undefined
  console.log(`  data and logs in ${tmp}`)

  try {
    // Cold start: a fresh data directory (PostgreSQL initialised, migrations, first owner; the UI built if stale).
    studio = startStudio('npm-start-cold.log', coldEnv)
    const s = studio
    await poll('GET /api/health/ready answering 200', s, READY_TIMEOUT_S, async () => ((await fetch(`${base}/api/health/ready`, { signal: AbortSignal.timeout(2000) })).ok ? true : undefined), true)
    const coldS = (performance.now() - s.startedAt) / 1000
    const out = fs.readFileSync(s.log, 'utf8')
    const built = /Creating an optimized production build|Building the studio UI/.test(out)
    const notes = [built ? 'the UI was built first (stale or missing build)' : 'UI build was fresh', ...(/server build: dist/.test(out) ? ['dist/ was rebuilt'] : [])].join('; ')
    rows.push({ name: 'npm start, cold (fresh data directory): spawn → /api/health/ready 200', value: coldS, unit: 's', notes })
    console.log(`  cold start: ready after ${coldS.toFixed(1)} s${built ? ' (built the UI first)' : ''}`)

    const api = async (method: string, p: string, body?: unknown) => {
      const res = await fetch(base + p, { method, headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
      if (!res.ok) throw new Error(`${method} ${p} answered ${res.status}: ${await res.text()}`)
      return res.json() as Promise<Record<string, unknown>>
    }
    const created = await api('POST', '/api/workflows', { name: 'Bench: sum of 100 numbers', graph: GRAPH, active: true })
    const wf = (await api('GET', `/api/workflows/${created.id as string}`)) as { webhooks: { url: string }[] }
    const url = base + new URL(wf.webhooks[0].url).pathname
    await poll(`${url} answering {"sum":5050,"tag":"bench"}`, s, 60, () => answersSum(url))

    if (NODE_RED) nodeRed = await startNodeRed(NODE_RED, tmp)
    else console.log('  AUTERITY_BENCH_NODERED is not set: no Node-RED rows (set it to a folder where node-red@4.1.15 is installed)')
    const nr = nodeRed

    console.log(`  settling ${SETTLE_S} s before the idle measurement…`)
    await sleep(SETTLE_S * 1000)
    const idle = { studio: memory(s), nodeRed: memory(nr?.run), redis: externalRedis() }
    printProcesses('npm start, idle', idle.studio)
    if (nr) printProcesses('Node-RED, idle', idle.nodeRed)

    const targets = [{ name: 'npm start', url, run: s }, ...(nr ? [{ name: 'Node-RED', url: nr.url, run: nr.run }] : [])]
    rows.push({ name: 'machine load average (1 min) before the load rounds', value: os.loadavg()[0], unit: '', notes: `${os.availableParallelism()} cores; other work on the machine colours every figure` })
    const warmups = []
    for (const t of targets) if (WARMUP_S > 0) warmups.push({ target: t.name, ...(await wrk(script, t.url, 50, WARMUP_S)) })
    const results = new Map<string, WrkResult[]>()
    const underLoad = { studio: [] as ProcMemory[][], nodeRed: [] as ProcMemory[][], redis: [] as ProcMemory[][] }
    for (let round = 1; round <= ROUNDS; round++) {
      for (const c of CONNECTIONS) {
        for (const t of targets) {
          const sampler = c === 50 ? setInterval(() => {
            if (t.run === s) underLoad.studio.push(memory(s)), underLoad.redis.push(externalRedis())
            else underLoad.nodeRed.push(memory(t.run))
          }, 1000) : undefined
          const r = await wrk(script, t.url, c, SECONDS).finally(() => clearInterval(sampler))
          results.set(`${t.name} ${c}`, [...(results.get(`${t.name} ${c}`) ?? []), r])
          console.log(`  round ${round}, ${t.name}, c=${c}: ${r.rps.toFixed(0)} req/s, p99 ${r.p99_ms.toFixed(1)} ms, ${r.errors} errors`)
        }
      }
    }
    rows.push({ name: 'machine load average (1 min) after the load rounds', value: os.loadavg()[0], unit: '' })
    console.log(`  waiting ${AFTER_S} s after the load…`)
    await sleep(AFTER_S * 1000)
    const after = { studio: memory(s), nodeRed: memory(nr?.run), redis: externalRedis() }
    printProcesses(`npm start, ${AFTER_S} s after load`, after.studio)
    if (underLoad.studio.length) printProcesses('npm start, last sample under load', underLoad.studio.at(-1)!)

    for (const t of targets) {
      for (const c of CONNECTIONS) {
        const rs = results.get(`${t.name} ${c}`)!
        const perRound = rs.map((r) => r.rps.toFixed(0)).join(', ')
        const errors = rs.reduce((n, r) => n + r.errors, 0)
        rows.push({ name: `${t.name}, c=${c}: requests/s (median of ${rs.length})`, value: median(rs.map((r) => r.rps)), unit: 'req/s', notes: `rounds: ${perRound}; ${errors} non-2xx or socket errors of ${rs.reduce((n, r) => n + r.requests, 0)}` })
        const p99 = median(rs.map((r) => r.p99_ms))
        const bar = t.run === s && c === 50
        rows.push({ name: `${t.name}, c=${c}: p99 latency (median of ${rs.length})`, value: p99, unit: 'ms', bar: bar ? '< 100 ms' : undefined, pass: bar ? p99 < 100 : undefined })
        rows.push({ name: `${t.name}, c=${c}: non-2xx and socket errors (all rounds)`, value: errors, unit: 'requests' })
      }
    }
    if (nr) {
      for (const c of CONNECTIONS) {
        const ratio = median(results.get(`npm start ${c}`)!.map((r) => r.rps)) / median(results.get(`Node-RED ${c}`)!.map((r) => r.rps))
        rows.push({ name: `npm start / Node-RED ${nr.version}, c=${c}: requests/s ratio`, value: ratio, unit: '×', bar: '≥ 0.5', pass: ratio >= 0.5 })
      }
    } else rows.push({ name: 'Node-RED: not measured (AUTERITY_BENCH_NODERED unset)', value: 0, unit: '' })

    // Every run recorded and none failed; every step of one of them recorded. (More runs succeed than wrk counts
    // answers: the requests in flight when wrk stops still run.)
    const stats = await api('GET', '/api/executions/stats')
    const studioLoads = [...warmups.filter((r) => r.target === 'npm start'), ...[...results.entries()].filter(([k]) => k.startsWith('npm start')).flatMap(([, rs]) => rs)]
    const answered = studioLoads.reduce((n, r) => n + r.requests - r.errors, 0)
    rows.push({ name: 'npm start: runs failed', value: stats.failed24h as number, unit: 'runs', bar: '0', pass: stats.failed24h === 0, notes: `${stats.succeeded24h} succeeded; wrk counted ${answered} answered 2xx (warm-up included)` })
    const [latest] = ((await api('GET', `/api/executions?workflowId=${created.id as string}&limit=1`)).executions as { id: string }[])
    const steps = ((await api('GET', `/api/executions/${latest.id}`)).steps as { status: string }[]).filter((st) => st.status === 'succeeded').length
    rows.push({ name: 'npm start: steps recorded in a run', value: steps, unit: 'steps', bar: '4 (every step)', pass: steps === 4 })

    rows.push(...memoryRows('npm start', summarize([idle.studio]), summarize(underLoad.studio), summarize([after.studio]), true))
    if (nr) rows.push(...memoryRows(`Node-RED ${nr.version}`, summarize([idle.nodeRed]), summarize(underLoad.nodeRed), summarize([after.nodeRed]), false))
    if (idle.redis.length) rows.push(...memoryRows('redis (external, shared by the machine)', summarize([idle.redis]), summarize(underLoad.redis), summarize([after.redis]), false))

    // Warm start: the same data directory, spawn → the first webhook answered with the right body.
    rows.push({ name: 'npm start: Ctrl-C → every process gone', value: await stop(s), unit: 's' })
    studio = startStudio('npm-start-warm.log', warmEnv)
    const w = studio
    let readyS: number | undefined
    await poll('the webhook answering after a warm start', w, READY_TIMEOUT_S, async () => {
      readyS ??= await fetch(`${base}/api/health/ready`, { signal: AbortSignal.timeout(1000) }).then((r) => (r.ok ? (performance.now() - w.startedAt) / 1000 : undefined), () => undefined)
      return answersSum(url)
    }, true)
    const warmS = (performance.now() - w.startedAt) / 1000
    console.log(`  warm start: webhook answered after ${warmS.toFixed(1)} s`)
    rows.push({ name: 'npm start, warm (same data directory): spawn → first webhook answered', value: warmS, unit: 's', bar: '< 5 s', pass: warmS < 5, notes: readyS ? `/api/health/ready 200 after ${readyS.toFixed(1)} s` : undefined })
    return rows
  } finally {
    if (nodeRed) await stop(nodeRed.run)
    if (studio) await stop(studio)
    if (process.env.STUDIO_BENCH_KEEP !== '1') fs.rmSync(tmp, { recursive: true, force: true })
    // The bench's own queue keys on the shared Redis.
    spawnSync('sh', ['-c', `redis-cli -p 6379 --scan --pattern '${prefix}*' | xargs -r redis-cli -p 6379 del`], { stdio: 'ignore' })
  }
}

function memoryRows(target: string, idle: Memory, load: Memory, after: Memory, bars: boolean): BenchRow[] {
  const rows: BenchRow[] = []
  const groups = [...new Set([...idle.groups.keys(), ...load.groups.keys(), ...after.groups.keys()])].sort((a, b) => (idle.groups.get(b)?.kib ?? 0) - (idle.groups.get(a)?.kib ?? 0))
  const mb = (m: Memory, g: string) => (m.groups.get(g)?.kib ?? 0) * MB
  for (const g of groups) {
    const count = Math.max(idle.groups.get(g)?.count ?? 0, load.groups.get(g)?.count ?? 0, after.groups.get(g)?.count ?? 0)
    const label = groups.length > 1 ? `${target}, ${g} (${count} process${count === 1 ? '' : 'es'})` : target
    rows.push(
      { name: `PSS ${label}: idle`, value: mb(idle, g), unit: 'MB' },
      { name: `PSS ${label}: under load (max, c=50)`, value: mb(load, g), unit: 'MB' },
      { name: `PSS ${label}: ${AFTER_S} s after load`, value: mb(after, g), unit: 'MB' },
    )
  }
  if (groups.length > 1 || bars) {
    const [i, l, a] = [idle.totalKiB * MB, load.totalKiB * MB, after.totalKiB * MB]
    rows.push(
      { name: `PSS ${target}, all ${idle.processes} processes: idle`, value: i, unit: 'MB', bar: bars ? '< 400 MB' : undefined, pass: bars ? i < 400 : undefined },
      { name: `PSS ${target}, all processes: under load (max, c=50)`, value: l, unit: 'MB', notes: `up to ${load.processes} processes` },
      { name: `PSS ${target}, all processes: ${AFTER_S} s after load`, value: a, unit: 'MB', bar: bars ? '≤ idle + 20 %' : undefined, pass: bars ? a <= 1.2 * i : undefined, notes: `${after.processes} processes` },
    )
  }
  rows.push({ name: `${target}: processes (idle)`, value: idle.processes, unit: 'processes' })
  return rows
}
