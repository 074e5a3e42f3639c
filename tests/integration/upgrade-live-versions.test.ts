// Upgrading to live versions (migration 0009) keeps production as it was: a workflow that answered on a webhook is
// published at its newest version and active; one without a webhook starts unpublished and inactive.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, expect, inject, it } from 'vitest'
import { migrate } from '../../lib/db/migrate'
import { ensureDatabase, withDatabase } from '../../lib/infra/postgres'

const root = path.resolve(import.meta.dirname, '../../prisma/migrations')
const before = fs.mkdtempSync(path.join(os.tmpdir(), 'auterity-migrations-'))
const name = `upgrade_${Date.now().toString(36)}`
const adminUrl = inject('pgAdminUrl')
afterAll(async () => {
  fs.rmSync(before, { recursive: true, force: true })
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await admin.end()
})

it('publishes and activates, at their newest version, the workflows that had webhooks', async () => {
  for (const dir of fs.readdirSync(root).filter((d) => d < '0009')) fs.cpSync(path.join(root, dir), path.join(before, dir), { recursive: true })
  await ensureDatabase(adminUrl, name)
  const url = withDatabase(adminUrl, name)
  await migrate(url, before)
  const db = new pg.Client({ connectionString: url })
  await db.connect()
  try {
    await db.query(`INSERT INTO "Tenant" (id, name, slug) VALUES ('t', 'T', 't')`)
    await db.query(`INSERT INTO "Workflow" (id, "tenantId", name, active, "currentVersion", "updatedAt") VALUES
      ('hooked', 't', 'Hooked', false, 3, now()), ('manual', 't', 'Manual', true, 2, now())`)
    await db.query(`INSERT INTO "WebhookTrigger" (id, "tenantId", "workflowId", "nodeId", path) VALUES ('w', 't', 'hooked', 'hook', 'orders')`)
    expect(await migrate(url, root)).toContain('0009_live_versions')
    const { rows } = await db.query(`SELECT id, active, "currentVersion", "publishedVersion", settings FROM "Workflow" ORDER BY id`)
    expect(rows).toEqual([
      { id: 'hooked', active: true, currentVersion: 3, publishedVersion: 3, settings: {} },
      { id: 'manual', active: false, currentVersion: 2, publishedVersion: null, settings: {} },
    ])
    expect((await db.query(`SELECT path FROM "WebhookTrigger"`)).rows).toEqual([{ path: 'orders' }])
  } finally {
    await db.end()
  }
})
