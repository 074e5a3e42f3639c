// Folders of the workflow list: one level, a workflow in at most one, names unique per workspace (whatever their
// case). Deleting a folder moves its workflows to the top level (ON DELETE SET NULL); it never deletes a workflow.
import { z } from 'zod'
import type { PrismaClient } from '../db/generated/client'
import { forTenant } from '../db/scope'
import { AppError, NotFoundError } from '../errors'

export const folderBody = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'name is required')
    .max(100, 'name: at most 100 characters')
    .refine((n) => !/[\u0000-\u001f]/.test(n), 'name cannot hold control characters'),
})

export async function listFolders(prisma: PrismaClient, tenantId: string) {
  const folders = await forTenant(prisma, tenantId).workflowFolder.findMany({
    select: { id: true, name: true, createdAt: true, _count: { select: { workflows: true } } },
    orderBy: { name: 'asc' },
  })
  return folders.map(({ _count, ...f }) => ({ ...f, workflowCount: _count.workflows }))
}

async function assertNameFree(prisma: PrismaClient, tenantId: string, name: string, except?: string) {
  const same = await forTenant(prisma, tenantId).workflowFolder.findFirst({
    where: { name: { equals: name, mode: 'insensitive' }, id: except ? { not: except } : undefined },
    select: { id: true },
  })
  if (same) throw nameTaken(name)
}

const nameTaken = (name: string) => new AppError(409, 'CONFLICT', `name: a folder named “${name}” already exists`, { fields: { name: 'already used by another folder' } })

export async function createFolder(prisma: PrismaClient, tenantId: string, name: string) {
  await assertNameFree(prisma, tenantId, name)
  try {
    return await forTenant(prisma, tenantId).workflowFolder.create({ data: { tenantId, name }, select: { id: true, name: true, createdAt: true } })
  } catch (err) {
    // Two creates of one name at once: the unique index decides, the loser gets the same answer as above.
    if ((err as { code?: string }).code === 'P2002') throw nameTaken(name)
    throw err
  }
}

export async function renameFolder(prisma: PrismaClient, tenantId: string, id: string, name: string) {
  const db = forTenant(prisma, tenantId)
  if (!(await db.workflowFolder.findFirst({ where: { id }, select: { id: true } }))) throw new NotFoundError('Folder')
  await assertNameFree(prisma, tenantId, name, id)
  await db.workflowFolder.updateMany({ where: { id }, data: { name } })
  return { id, name }
}

/** Its workflows go back to the top level; the answer says how many. */
export async function deleteFolder(prisma: PrismaClient, tenantId: string, id: string) {
  const db = forTenant(prisma, tenantId)
  return db.$transaction(async (tx) => {
    const moved = await tx.$executeRaw`UPDATE "Workflow" SET "folderId" = NULL WHERE "folderId" = ${id} AND "tenantId" = ${tenantId}`
    const { count } = await tx.workflowFolder.deleteMany({ where: { id, tenantId } })
    if (count === 0) throw new NotFoundError('Folder')
    return { id, movedToTop: moved }
  })
}

/** Move workflows into a folder (null: the top level). A folder of another workspace is not found. */
export async function moveWorkflows(prisma: PrismaClient, tenantId: string, ids: string[], folderId: string | null) {
  if (folderId !== null && !(await forTenant(prisma, tenantId).workflowFolder.findFirst({ where: { id: folderId }, select: { id: true } }))) {
    throw new NotFoundError('Folder')
  }
  const rows = await prisma.$queryRaw<Array<{ id: string }>>`
    UPDATE "Workflow" SET "folderId" = ${folderId} WHERE "tenantId" = ${tenantId} AND "id" = ANY(${ids}::text[]) RETURNING "id"`
  const moved = new Set(rows.map((r) => r.id))
  return ids.map((id) => (moved.has(id) ? { id, ok: true as const } : { id, ok: false as const, error: { code: 'NOT_FOUND', message: 'Workflow not found' } }))
}
