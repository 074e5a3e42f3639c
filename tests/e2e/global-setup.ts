// Starts everything the e2e specs need and returns the teardown:
// 1. a production build of the UI when missing or older than the sources (under <checkout>/.next-build.lock),
// 2. the local HTTP test server (tests/e2e/test-server.ts) and the fake OpenAI-format embeddings server
//    (tests/fakes/embeddings.ts; E2E_EMBEDDINGS_URL is its /v1 base URL for embedding deployments),
// 3. a fresh PostgreSQL database e2e_<random> on the local server (or E2E_PG_ADMIN_URL),
// 4. the studio (tests/e2e/stack.ts) on E2E_PORT with known admin credentials, waiting for /api/health/ready.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { E2E } from './constants'
import { e2eBuildCommand, hasBuild, isBuildFresh } from '../../lib/infra/build'
import { startTestServer } from './test-server'
import { startFakeEmbeddings } from '../fakes/embeddings'
import { startOidcProvider } from '../helpers/oidc-provider'

const root = path.resolve(import.meta.dirname, '../..')
// One lock per checkout: builds of other clones use their own .next and need not wait.
const BUILD_LOCK = path.join(root, '.next-build.lock')

function buildIfNeeded() {
  if (isBuildFresh(root) || (hasBuild(root) && process.env.E2E_SKIP_BUILD === '1')) return
  console.log('[e2e] building the studio (next build) …')
  const build = e2eBuildCommand(root)
  const r = spawnSync(build.cmd, build.args, { cwd: root, stdio: 'inherit', env: build.env })
  if (r.status !== 0) throw new Error('next build failed; see the output above')
}

async function waitReady(url: string, child: ChildProcess, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the studio exited with ${child.exitCode} before it was ready`)
    try {
      const res = await fetch(`${url}/api/health/ready`)
      if (res.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`the studio was not ready at ${url}/api/health/ready after ${timeoutMs / 1000} s`)
}

export default async function globalSetup() {
  buildIfNeeded()
  // Hold a shared lock while the server reads .next, so another run's build waits for us. The holder is
  // `tail --pid`, which exits with this process however it ends, so the lock can never outlive the run.
  const readLock = spawn('flock', ['-s', BUILD_LOCK, 'tail', `--pid=${process.pid}`, '-f', '/dev/null'], { stdio: 'ignore', detached: true })
  const releaseReadLock = () => {
    try {
      process.kill(-readLock.pid!, 'SIGTERM')
    } catch {
      // already gone
    }
  }

  const testServer = await startTestServer()
  process.env.E2E_TEST_SERVER_URL = testServer.url
  const embeddings = await startFakeEmbeddings()
  process.env.E2E_EMBEDDINGS_URL = embeddings.v1

  const adminUrl = process.env.E2E_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'
  const dbName = `e2e_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE "${dbName}"`)
  await admin.end()
  const dbUrl = new URL(adminUrl)
  dbUrl.pathname = `/${dbName}`
  process.env.E2E_DATABASE_URL = dbUrl.toString()

  const baseUrl = process.env.E2E_BASE_URL!
  // A real OpenID Connect provider (oidc-provider) the studio offers single sign-on with (tests/e2e/sso.spec.ts).
  const oidc = await startOidcProvider({ redirectUris: [`${baseUrl}/api/auth/callback/oidc`] })
  process.env.E2E_OIDC_ISSUER = oidc.issuer
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'auterity-e2e-'))
  const logFile = path.join(root, 'test-results', `e2e-studio-${process.env.E2E_PORT}.log`)
  fs.mkdirSync(path.dirname(logFile), { recursive: true })
  const out = fs.openSync(logFile, 'w')
  const studio = spawn(path.join(root, 'node_modules/.bin/tsx'), ['tests/e2e/stack.ts'], {
    cwd: root,
    stdio: ['ignore', out, out],
    detached: true,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: process.env.E2E_PORT,
      HOST: '127.0.0.1',
      NEXTAUTH_URL: baseUrl,
      DATABASE_URL: dbUrl.toString(),
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      AUTERITY_QUEUE_PREFIX: dbName,
      AUTERITY_DATA_DIR: dataDir,
      AUTERITY_ADMIN_EMAIL: E2E.email,
      AUTERITY_ADMIN_PASSWORD: E2E.password,
      AUTERITY_API_KEY: E2E.apiKey,
      AUTERITY_HTTP_ALLOWLIST: [testServer.hostPort, new URL(embeddings.url).host].join(','),
      AUTERITY_WORKER_CONCURRENCY: '5',
      AUTERITY_OIDC_ISSUER: oidc.issuer,
      AUTERITY_OIDC_CLIENT_ID: oidc.sso.clientId,
      AUTERITY_OIDC_CLIENT_SECRET: oidc.sso.clientSecret,
      AUTERITY_OIDC_NAME: 'Test SSO',
      NODE_OPTIONS: [process.env.NODE_OPTIONS, '--no-node-snapshot'].filter(Boolean).join(' '),
    },
  })
  console.log(`[e2e] studio starting at ${baseUrl} (database ${dbName}, log ${path.relative(root, logFile)})`)
  try {
    await waitReady(baseUrl, studio)
  } catch (err) {
    console.error(fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n'))
    await teardown()
    throw err
  }

  async function teardown() {
    if (studio.exitCode === null) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          try {
            process.kill(-studio.pid!, 'SIGKILL')
          } catch {
            // already gone
          }
          resolve()
        }, 20_000)
        studio.once('exit', () => {
          clearTimeout(t)
          resolve()
        })
        studio.kill('SIGTERM')
      })
    }
    await testServer.close()
    await embeddings.close()
    await oidc.close()
    releaseReadLock()
    const c = new pg.Client({ connectionString: adminUrl })
    await c.connect()
    await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch((e) => console.error(`[e2e] could not drop ${dbName}: ${e.message}`))
    await c.end()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
  return teardown
}
