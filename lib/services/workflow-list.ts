// The workflow list: search by name, filter by tag and folder, sort; and the tags a workflow carries. Organising
// (tags, folders) is not editing: it leaves `updatedAt` alone, so "last updated" keeps meaning the last save.
import { z } from 'zod'
import type { Prisma, PrismaClient } from '../db/generated/client'
import { forTenant } from '../db/scope'
import { NotFoundError } from '../errors'

export const MAX_TAGS = 20
export const MAX_TAG_LENGTH = 40

/** `folder`: a folder id, `root` for the workflows in no folder; absent (or empty): every workflow wherever it sits.
 * An empty `q` or `tag` filters nothing. */
export const listWorkflowsQuery = z.object({
  q: z.string().trim().max(200, 'q: at most 200 characters').optional(),
  tag: z.string().trim().max(MAX_TAG_LENGTH).optional(),
  folder: z.string().max(100).optional(),
  sort: z.enum(['updated', 'created', 'name']).default('updated'),
  order: z.enum(['asc', 'desc']).optional(),
})
export type ListWorkflowsQuery = z.infer<typeof listWorkflowsQuery>

const tag = z
  .string()
  .trim()
  .min(1, 'a tag cannot be empty')
  .max(MAX_TAG_LENGTH, `a tag has at most ${MAX_TAG_LENGTH} characters`)
  .refine((t) => !/[\u0000-\u001f,]/.test(t), 'a tag cannot hold commas or control characters')

export const setTagsBody = z.object({ tags: z.array(tag).max(MAX_TAGS, `at most ${MAX_TAGS} tags`) })

/** The same tag typed twice in another case is one tag: the first spelling is kept. */
export function normalizeTags(tags: string[]): string[] {
  const seen = new Set<string>()
  return tags.filter((t) => {
    const key = t.toLowerCase()
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

export const workflowListSelect = {
  id: true, name: true, description: true, active: true, currentVersion: true, publishedVersion: true, settings: true,
  createdAt: true, updatedAt: true, tags: true, folderId: true, folder: { select: { name: true } },
} as const

const DEFAULT_ORDER = { updated: 'desc', created: 'desc', name: 'asc' } as const

export async function listWorkflows(prisma: PrismaClient, tenantId: string, query: Partial<ListWorkflowsQuery> = {}) {
  const db = forTenant(prisma, tenantId)
  const sort = query.sort ?? 'updated'
  const order = query.order ?? DEFAULT_ORDER[sort]
  const where: Prisma.WorkflowWhereInput = {}
  // Prisma hands `contains` to ILIKE as is: % and _ typed in the search box are characters, not wildcards.
  if (query.q) where.name = { contains: query.q.replace(/[\\%_]/g, '\\$&'), mode: 'insensitive' }
  if (query.tag) where.tags = { has: query.tag }
  if (query.folder === 'root') where.folderId = null
  else if (query.folder) {
    if (!(await db.workflowFolder.findFirst({ where: { id: query.folder }, select: { id: true } }))) throw new NotFoundError('Folder')
    where.folderId = query.folder
  }
  const orderBy: Prisma.WorkflowOrderByWithRelationInput[] =
    sort === 'name' ? [{ name: order }] : sort === 'created' ? [{ createdAt: order }] : [{ updatedAt: order }]
  const rows = await db.workflow.findMany({ where, select: workflowListSelect, orderBy: [...orderBy, { id: order }], take: 1000 })
  return rows.map(({ folder, ...w }) => ({ ...w, folderName: folder?.name ?? null }))
}

/** Every tag of the workspace with how many workflows carry it, most used first. */
export async function listTags(prisma: PrismaClient, tenantId: string): Promise<Array<{ tag: string; count: number }>> {
  const rows = await prisma.$queryRaw<Array<{ tag: string; count: bigint }>>`
    SELECT t AS "tag", count(*) AS "count" FROM "Workflow", unnest("tags") AS t
    WHERE "tenantId" = ${tenantId} GROUP BY t ORDER BY count(*) DESC, t ASC LIMIT 500`
  return rows.map((r) => ({ tag: r.tag, count: Number(r.count) }))
}

/** PUT /api/workflows/:id/tags: the workflow's whole tag list. */
export async function setWorkflowTags(prisma: PrismaClient, tenantId: string, id: string, tags: string[]) {
  const next = normalizeTags(tags)
  const updated = await prisma.$executeRaw`UPDATE "Workflow" SET "tags" = ${next}::text[] WHERE "id" = ${id} AND "tenantId" = ${tenantId}`
  if (updated === 0) throw new NotFoundError('Workflow')
  return { id, tags: next }
}

/** Ids of a bulk request: distinct, each a plausible id, 1 to 200 of them. */
export const bulkIds = z
  .array(z.string().min(1).max(100))
  .min(1, 'select at least one')
  .max(200, 'at most 200 at a time')
  .transform((ids) => [...new Set(ids)])
