// `npm start` as a user runs it, on a machine with nothing configured but Redis: the compiled supervisor
// (scripts/launch.mjs start → dist/start.mjs) starts the embedded PostgreSQL, runs the one-shot setup, then the web
// process and a worker, all compiled JavaScript (no TypeScript loader anywhere in its process tree). The owner's
// credentials come last, after both processes said they are ready; the README's webhook example answers; SIGTERM
// stops every process it started; a second start on the same data reuses it and prints no credentials. Needs a
// fresh UI build (`next build`, as `npm test` makes for the e2e suite); without one it is skipped, saying so.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { isBuildFresh } from '@/lib/infra/build'
import { freePort } from '@/lib/infra/net'
import { createTestRedisPrefix, testRedisUrl, type TestRedisPrefix } from '../../helpers/db'

const root = path.resolve(import.meta.dirname, '../../..')
const lock = path.join(root, '.next-build.lock')
if (fs.existsSync(lock)) spawnSync('flock', ['-w', '900', lock, 'true'])

/** Every live descendant of `pid` with its command line. */
function tree(pid: number): Array<{ pid: number; cmd: string }> {
  const parents = new Map<number, number[]>()
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(name)])
    } catch {
      // gone meanwhile
    }
  }
  const out: Array<{ pid: number; cmd: string }> = []
  const walk = (p: number) => {
    for (const c of parents.get(p) ?? []) {
      let cmd = ''
      try {
        cmd = fs.readFileSync(`/proc/${c}/cmdline`, 'utf8').split('\0').join(' ').trim()
      } catch {
        continue
      }
      out.push({ pid: c, cmd })
      walk(c)
    }
  }
  walk(pid)
  return out
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe.skipIf(!isBuildFresh(root))('npm start, compiled (needs a fresh .next: run `next build` first)', () => {
  let redis: TestRedisPrefix
  let dataDir: string
  let port: number
  const started: ChildProcess[] = []

  afterAll(async () => {
    for (const child of started) if (child.exitCode === null) child.kill('SIGKILL')
    await redis?.cleanup()
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
  })

  async function start(): Promise<{ child: ChildProcess; output: () => string; ms: number }> {
    const t0 = Date.now()
    const child = spawn(process.execPath, ['scripts/launch.mjs', 'start'], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, AUTERITY_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', REDIS_URL: testRedisUrl(), AUTERITY_QUEUE_PREFIX: redis.prefix, AUTERITY_ADMIN_EMAIL: 'ada@example.com', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }) as ChildProcess
    started.push(child)
    let out = ''
    child.stdout!.on('data', (d) => (out += d))
    child.stderr!.on('data', (d) => (out += d))
    const deadline = Date.now() + 120_000
    while (!out.includes('Auterity Studio is ready')) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not get ready:\n${out}`)
      await new Promise((r) => setTimeout(r, 100))
    }
    await new Promise((r) => setTimeout(r, 300)) // the rest of the banner
    return { child, output: () => out, ms: Date.now() - t0 }
  }

  async function stop(child: ChildProcess) {
    child.kill('SIGTERM')
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)))
  }

  it('starts compiled, prints the credentials last, serves the webhook example and stops everything it started', async () => {
    redis = createTestRedisPrefix()
    dataDir = fs.mkdtempSync('/tmp/auterity-npm-start-')
    port = await freePort()
    const first = await start()
    const out = first.output()
    // The banner follows both processes' ready lines, and carries the credentials.
    const banner = out.indexOf('Auterity Studio is ready')
    expect(out.indexOf('"msg":"web ready"')).toBeGreaterThan(-1)
    expect(out.indexOf('"msg":"web ready"')).toBeLessThan(banner)
    expect(out.indexOf('"msg":"worker ready"')).toBeLessThan(banner)
    expect(out.slice(banner)).toMatch(/email: +ada@example\.com/)
    expect(out.slice(banner)).toMatch(/password: +\S+/)
    const key = /API key: +(\S+)/.exec(out.slice(banner))?.[1]
    expect(key).toBeTruthy()

    const procs = tree(first.child.pid!)
    const cmds = procs.map((p) => p.cmd)
    expect(cmds.filter((c) => /tsx|esbuild/.test(c)), 'no TypeScript loader in production').toEqual([])
    expect(cmds.some((c) => c.includes('dist/server.mjs'))).toBe(true)
    expect(cmds.some((c) => c.includes('dist/worker.mjs'))).toBe(true)
    expect(cmds.some((c) => /\bpostgres\b/.test(c))).toBe(true)
    const supervisor = fs.readFileSync(`/proc/${first.child.pid}/cmdline`, 'utf8')
    expect(supervisor).toContain('scripts/launch.mjs')

    const base = `http://127.0.0.1:${port}`
    const created = await fetch(`${base}/api/workflows`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'hello',
        active: true,
        graph: {
          nodes: [
            { id: 't', type: 'webhook-trigger', name: 'Webhook', params: { path: 'hello', responseMode: 'lastNode' } },
            { id: 's', type: 'set', name: 'Greet', params: { fields: [{ name: 'greeting', value: 'Hello {{ $json.query.name }}' }] } },
            { id: 'c', type: 'code', name: 'Shout', params: { source: 'return items.map((i) => ({ ...i, loud: i.greeting.toUpperCase() }))' } },
            { id: 'r', type: 'respond-to-webhook', name: 'Respond', params: { respondWith: 'firstItem' } },
          ],
          edges: [
            { source: 't', target: 's' },
            { source: 's', target: 'c' },
            { source: 'c', target: 'r' },
          ],
        },
      }),
    })
    expect(created.status, await created.clone().text()).toBe(201)
    const hook = await fetch(`${base}/api/webhooks/hello?name=Ada`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(hook.status).toBe(200)
    expect(await hook.json()).toMatchObject({ greeting: 'Hello Ada', loud: 'HELLO ADA' })
    // The Code step ran in the worker's sandbox child: compiled too.
    expect(tree(first.child.pid!).map((p) => p.cmd).filter((c) => c.includes('sandbox-child'))).not.toEqual([])

    await stop(first.child)
    expect(first.child.exitCode).toBe(0)
    expect(procs.filter((p) => alive(p.pid)), 'every process it started has stopped').toEqual([])

    // A warm start on the same data: no credentials again, the saved workflow answers at once.
    const second = await start()
    const banner2 = second.output().slice(second.output().indexOf('Auterity Studio is ready'))
    expect(banner2).not.toMatch(/password:|API key:/)
    const again = await fetch(`${base}/api/webhooks/hello?name=Grace`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(await again.json()).toMatchObject({ greeting: 'Hello Grace' })
    console.log(`npm start: first start ${first.ms} ms, warm start to ready ${second.ms} ms`)
    await stop(second.child)
    expect(second.child.exitCode).toBe(0)
  }, 300_000)
})
