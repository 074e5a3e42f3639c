import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { scopeArgs, TENANT_MODELS } from '../../../lib/db/scope'

// Models whose tenantId names the workspace a row points at rather than the workspace that owns it: a sign-in
// session belongs to its user, and its tenantId is only the workspace the user is working in now.
const NOT_OWNED_BY_A_WORKSPACE = new Set(['UserSession'])

function modelsWithTenantId(): string[] {
  const dir = path.resolve('prisma/schema')
  const out: string[] = []
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.prisma'))) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8')
    for (const m of text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) if (/^\s+tenantId\s/m.test(m[2]) && !NOT_OWNED_BY_A_WORKSPACE.has(m[1])) out.push(m[1])
  }
  return out.sort()
}

describe('tenant scoping', () => {
  it('covers every model that has a tenantId column', () => {
    expect([...TENANT_MODELS].sort()).toEqual(modelsWithTenantId())
  })

  it.each([
    ['findMany', { where: { name: 'x' } }, { where: { name: 'x', tenantId: 't1' } }],
    ['findUnique', { where: { id: 'a' } }, { where: { id: 'a', tenantId: 't1' } }],
    ['update', { where: { id: 'a' }, data: { name: 'y' } }, { where: { id: 'a', tenantId: 't1' }, data: { name: 'y' } }],
    ['deleteMany', undefined, { where: { tenantId: 't1' } }],
    ['create', { data: { name: 'z' } }, { data: { name: 'z', tenantId: 't1' } }],
    ['createMany', { data: [{ a: 1 }, { a: 2 }] }, { data: [{ a: 1, tenantId: 't1' }, { a: 2, tenantId: 't1' }] }],
    // A caller cannot widen the scope by passing another tenant's id.
    ['findFirst', { where: { tenantId: 'other' } }, { where: { tenantId: 't1' } }],
  ])('%s gets tenantId', (op, args, expected) => {
    expect(scopeArgs(op, args as never, 't1')).toEqual(expected)
  })
})
