// The image's start, outside Docker: the migrate command compose and the Kubernetes Job run, then the final stage's
// CMD exactly as the Dockerfile writes it, with the environment a container gets, on a fresh database; it must answer
// the health routes. The web process serves the production build, so this needs `.next` (made by `next build`, as
// `npm test` does for the e2e suite); without one it is skipped, saying so.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasBuild } from '@/lib/infra/build'
import { freePort } from '@/lib/infra/net'
import { createTestDatabase, createTestRedisPrefix, testRedisUrl, type TestDatabase, type TestRedisPrefix } from '../../helpers/db'

const root = path.resolve(import.meta.dirname, '../../..')
const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8')
const finalStage = dockerfile.split(/^FROM /m).at(-1)!
const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(finalStage)![1]) as string[]
/** The final stage's ENV lines, as the container sees them (HOST, PORT, NODE_ENV, …). */
const imageEnv = Object.fromEntries([.../^ENV ((?:.*\\\n)*.*)$/gm.exec(finalStage)![1].matchAll(/([A-Z_0-9]+)=(\S+)/g)].map((m) => [m[1], m[2]]))

// `npm test` builds beside the tests under this lock (lib/infra/build.ts e2eBuildCommand): wait for a build in
// progress to finish, so a half-written .next is never started and the test is not skipped for want of one.
const lock = path.join(root, '.next-build.lock')
if (fs.existsSync(lock)) spawnSync('flock', ['-w', '900', lock, 'true'])

describe.skipIf(!hasBuild(root))('the image start command, outside Docker (needs .next: run `next build` first)', () => {
  let db: TestDatabase
  let redis: TestRedisPrefix
  let dataDir: string
  let env: NodeJS.ProcessEnv
  let web: ChildProcess | undefined
  let port: number

  beforeAll(async () => {
    db = await createTestDatabase()
    redis = createTestRedisPrefix()
    dataDir = fs.mkdtempSync('/tmp/auterity-image-')
    port = await freePort()
    // Only what the image and the deployment give a container: nothing inherited from this test process.
    env = {
      PATH: process.env.PATH,
      ...imageEnv,
      HOST: '127.0.0.1',
      PORT: String(port),
      AUTERITY_DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      REDIS_URL: testRedisUrl(),
      AUTERITY_QUEUE_PREFIX: redis.prefix,
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      NODE_ENV: 'production',
    }
  })

  afterAll(async () => {
    if (web && web.exitCode === null) {
      web.kill('SIGTERM')
      await new Promise((r) => web!.once('exit', r))
    }
    await redis?.cleanup()
    await db?.drop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  it('migrates, prints the first owner once, starts and answers the health routes', async () => {
    // compose's `secrets` service, then its `migrate` service (the Kubernetes Job runs the same command).
    expect(spawnSync('node', ['scripts/launch.mjs', 'init-secrets'], { cwd: root, env, encoding: 'utf8' }).status).toBe(0)
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')).encryptionKey).toMatch(/=$/)
    const migrate = spawnSync('node', ['scripts/launch.mjs', 'migrate'], { cwd: root, env, encoding: 'utf8' })
    expect(migrate.status, migrate.stderr).toBe(0)
    expect(migrate.stdout).toMatch(/created the Default tenant and its owner admin@localhost[\s\S]*password: \S+/)

    expect(cmd[0]).toBe('node')
    web = spawn(process.execPath, cmd.slice(1), { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    web.stdout!.on('data', (d) => (output += d))
    web.stderr!.on('data', (d) => (output += d))
    const deadline = Date.now() + 90_000
    let ready: Response | undefined
    while (Date.now() < deadline && web.exitCode === null) {
      ready = await fetch(`http://127.0.0.1:${port}/api/health/ready`).catch(() => undefined)
      if (ready?.status === 200) break
      await new Promise((r) => setTimeout(r, 500))
    }
    expect(ready?.status, output.slice(-2000)).toBe(200)
    expect((await fetch(`http://127.0.0.1:${port}/api/health/live`)).status).toBe(200)
    // The secrets came from the data folder (as compose's volume gives them), not from the environment.
    expect(env.AUTERITY_ENCRYPTION_KEY).toBeUndefined()
  }, 150_000)
})
