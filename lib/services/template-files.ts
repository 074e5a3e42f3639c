// Template files: export one version of a template (built-in or workspace) as a file, import such a file as a new
// workspace template, under another name, or as a new version of the template of the same name. The file's rules
// are in lib/templates/file.ts; docs/templates.md, "Template files".
import { z } from 'zod'
import type { PrismaClient } from '../db/generated/client'
import { forTenant, type TenantDb } from '../db/scope'
import { parseTemplateFile, templateFile } from '../templates/file'
import { cleanName } from './workflow-file'
import { appendVersion, createTemplate, loadTemplate, nameTaken } from './templates'
import type { Actor } from './workflows'

export const importTemplateBody = z.object({
  file: z.unknown().refine((f) => f !== undefined, 'file is required: the exported template (JSON, or its text)'),
  name: z.string().max(1000).optional(),
  /** When the workspace has a template of that name: refuse (409, the default), import as "<name> (2)", or add a version to it. */
  onConflict: z.enum(['fail', 'rename', 'new-version']).default('fail'),
})

export async function exportTemplate(prisma: PrismaClient, tenantId: string, id: string, opts: { version?: number } = {}) {
  const t = await loadTemplate(forTenant(prisma, tenantId), id)
  const v = await t.content(opts.version ?? t.meta.currentVersion)
  return { file: templateFile(v.content, { version: v.number, changelog: v.changelog }), version: v.number }
}

/** The first of "<name> (2)", "<name> (3)"… no template of this workspace has. */
async function freeName(db: TenantDb, name: string): Promise<string> {
  const taken = new Set((await db.template.findMany({ where: { name: { startsWith: name } }, select: { name: true } })).map((t) => t.name))
  for (let n = 2; ; n++) {
    const candidate = `${name.slice(0, 200 - ` (${n})`.length)} (${n})`
    if (!taken.has(candidate)) return candidate
  }
}

export async function importTemplate(prisma: PrismaClient, actor: Actor, input: z.infer<typeof importTemplateBody>) {
  const file = parseTemplateFile(input.file)
  const db = forTenant(prisma, actor.tenantId)
  let name = input.name === undefined ? file.template.name : cleanName(input.name, 'name')
  const existing = await db.template.findFirst({ where: { name }, select: { id: true } })
  const changelog = file.changelog || `Imported${file.exportedAt ? ` (exported ${file.exportedAt})` : ''}`
  if (existing && input.onConflict === 'new-version') {
    const t = await loadTemplate(db, existing.id)
    const content = { ...file.template, name, description: t.meta.description, category: t.meta.category, tags: t.meta.tags }
    const { version } = await appendVersion(db, actor, existing.id, content, file.nodeTypes, changelog)
    return { id: existing.id, name, version }
  }
  if (existing && input.onConflict === 'fail') throw nameTaken(name)
  if (existing) name = await freeName(db, name)
  const { id, version } = await createTemplate(db, actor, { ...file.template, name }, file.nodeTypes, { changelog })
  return { id, name, version }
}
