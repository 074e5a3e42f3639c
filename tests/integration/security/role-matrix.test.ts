// The role matrix: every route in route-roles.ts, called in-process by every role, through a session cookie and
// through an API key of that role. Below the route's least role the answer is 403 and no row of the workspace
// changed; at or above it, the role check lets the call through (whatever the minimal body then earns: 400, 404, 2xx).
// The first test keeps the table complete: a route file exporting a method the table lacks fails it.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, useTestEnv } from '../../helpers/db'
import { hasRole, ROLES, type Role } from '../../../lib/auth/roles'
import { closeAppServices } from '../../../lib/services/app'
import { addCaller, AUTHED_ROUTES, callRoute, handlerOf, seedResources, snapshot, type Caller, type Resources } from './fixtures'
import { ROUTE_ROLES } from './route-roles'

const APP = path.resolve(import.meta.dirname, '../../../app')

/** Every (route folder, method) the route files under app/api export, read from their source as Next reads exports. */
function exportedRoutes(): string[] {
  const out: string[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.name === 'route.ts' || entry.name === 'route.tsx') {
        const src = readFileSync(full, 'utf8')
        const routePath = path.relative(APP, dir).split(path.sep).filter((s) => !/^\(.*\)$/.test(s)).join('/')
        const methods = new Set<string>()
        for (const m of src.matchAll(/export\s+(?:const|let|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/g)) methods.add(m[1])
        for (const m of src.matchAll(/export\s*\{([^}]*)\}/g)) {
          for (const part of m[1].split(',')) {
            const name = part.trim().split(/\s+as\s+/).pop()?.trim()
            if (name && /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/.test(name)) methods.add(name)
          }
        }
        for (const method of methods) out.push(`${method} /${routePath}`)
      }
    }
  }
  walk(path.join(APP, 'api'))
  return out.sort()
}

describe('the route table', () => {
  it('lists every method of every route file under app/api, and nothing else', () => {
    const table = ROUTE_ROLES.map((r) => `${r.method} ${r.path}`).sort()
    const exported = exportedRoutes()
    expect(exported.filter((r) => !table.includes(r)), 'route methods missing from tests/integration/security/route-roles.ts').toEqual([])
    expect(table.filter((r) => !exported.includes(r)), 'rows of route-roles.ts naming no exported method').toEqual([])
    expect(new Set(table).size).toBe(table.length)
  })
})

// Hundreds of in-process calls: seconds on an idle machine, a minute or more on a loaded 2-core one.
describe('role matrix', { timeout: 240_000 }, () => {
  let t: Awaited<ReturnType<typeof useTestEnv>>
  let res: Resources
  const callers = new Map<Role, Caller>()

  beforeAll(async () => {
    // No rate limit interferes: a thousand calls from one workspace in a few seconds is this test, not an abuse.
    t = await useTestEnv({ AUTERITY_RATE_API: '1000000' })
    const owner = await seedTenant(t.db.prisma, { name: 'Matrix' })
    res = await seedResources(t.db.prisma, owner.tenantId)
    for (const role of ROLES) callers.set(role, await addCaller(t.db.prisma, owner.tenantId, role))
  })
  afterAll(async () => {
    await closeAppServices()
    await t.teardown()
  })

  it('refuses every role below a route’s least role with 403, by cookie and by key, and changes nothing', async () => {
    const before = await snapshot(t.db.prisma, res.tenantId)
    const wrong: string[] = []
    let calls = 0
    for (const route of AUTHED_ROUTES) {
      const handler = await handlerOf(route)
      for (const role of ROLES.filter((r) => !hasRole(r, route.role))) {
        const caller = callers.get(role)!
        for (const [via, headers] of [['session', caller.session], ['key', caller.key]] as const) {
          const { status, json } = await callRoute(handler, route, res, headers)
          calls++
          if (status !== 403 || json?.error?.code !== 'FORBIDDEN') wrong.push(`${route.method} ${route.path} as ${role} by ${via}: ${status} ${JSON.stringify(json).slice(0, 160)}`)
        }
      }
    }
    expect(wrong).toEqual([])
    expect(calls).toBeGreaterThan(200)
    expect(await snapshot(t.db.prisma, res.tenantId)).toBe(before)
  })

  it('lets every role at or above a route’s least role through the role check, by cookie and by key', async () => {
    const wrong: string[] = []
    // Reads first, then changes, so a DELETE early in the table does not turn later reads into 404s of nothing.
    const isRead = (m: string) => m === 'GET' || m === 'HEAD'
    // "Sign out everywhere" ends the callers' sessions: it goes last of all.
    const last = (r: { path: string }) => Number(r.path === '/api/account/sessions/revoke-all')
    const order = [...AUTHED_ROUTES].sort(
      (a, b) => last(a) - last(b) || Number(!isRead(a.method)) - Number(!isRead(b.method)) || Number(a.method === 'DELETE') - Number(b.method === 'DELETE'),
    )
    for (const route of order) {
      const handler = await handlerOf(route)
      for (const role of ROLES.filter((r) => hasRole(r, route.role))) {
        const caller = callers.get(role)!
        for (const [via, headers] of [['session', caller.session], ['key', caller.key]] as const) {
          const { status, json } = await callRoute(handler, route, res, headers)
          // Anyone may leave (their own id, not called here: it would end the caller), but removing the fixture's
          // other member needs admin: below it, the finer check answers 403 with its reason.
          if (route.method === 'DELETE' && route.path === '/api/members/[userId]' && !hasRole(role, 'admin')) {
            if (status !== 403 || !/Removing someone else needs the admin role/.test(json?.error?.message)) wrong.push(`${route.method} ${route.path} as ${role} by ${via}: ${status}, removing another member must need admin`)
          } else if (via === 'key' && route.sessionOnly) {
            // A session-only route (the caller's own account) refuses every API key, whatever its role.
            if (status !== 403) wrong.push(`${route.method} ${route.path} as ${role} by key: ${status}, a session-only route must refuse keys`)
          } else if (status === 401 || status === 403 || status >= 500) wrong.push(`${route.method} ${route.path} as ${role} by ${via}: ${status} ${JSON.stringify(json).slice(0, 160)}`)
        }
      }
    }
    expect(wrong).toEqual([])
  })
})
