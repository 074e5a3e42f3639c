// Templates: the gallery (built-in templates from code, workspace templates from rows), publishing a workflow as a
// template, new versions, rollback and deletion. A version is immutable; `currentVersion` is the one "Use template"
// instantiates and upgrades move to, so a rollback only moves that pointer. Using and upgrading live in
// template-use.ts, files in template-files.ts. docs/templates.md.
import { z } from 'zod'
import type { PrismaClient } from '../db/generated/client'
import { forTenant, type TenantDb } from '../db/scope'
import type { WorkflowGraph } from '../engine/graph-schema'
import { AppError, ConflictError, NotFoundError, ValidationError } from '../errors'
import { nodeRegistry } from '../nodes/registry'
import {
  builtinSummaries, builtinTemplate, facetsOf, filterTemplates, summarize, type CatalogFilter, type CatalogVersion, type TemplateMeta,
} from '../templates/catalog'
import { checkTemplateContent, makeTemplateFromWorkflow } from '../templates/publish'
import { BUILTIN_PREFIX, templateContentSchema, templateParameterSchema, type TemplateContent } from '../templates/types'
import { cleanName, credentialUses } from './workflow-file'
import type { Actor } from './workflows'

const fail = (field: string, message: string) => new ValidationError(`${field}: ${message}`, { [field]: message })

/** 409 naming `name`: template names are unique within a workspace. */
export function nameTaken(name: string, field = 'name'): AppError {
  const message = `a template named "${name}" already exists in this workspace`
  return new AppError(409, 'CONFLICT', `${field}: ${message}`, { fields: { [field]: message } })
}

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === 'P2002'

export const listTemplatesQuery = z.object({
  q: z.string().max(200).optional(),
  category: z.string().max(50).optional(),
  nodeType: z.string().max(100).optional(),
  source: z.enum(['builtin', 'workspace']).optional(),
})

export const templateVersionQuery = z.object({ version: z.coerce.number().int().min(1).optional() })

const bindingSchema = z.object({ nodeId: z.string().min(1).max(100), path: z.string().min(1).max(500), param: z.string().min(1).max(64) })

const publishFields = {
  parameters: z.array(templateParameterSchema.partial({ type: true })).max(100).optional(),
  bindings: z.array(bindingSchema).max(1000).default([]),
  testCases: z.array(z.unknown()).max(50).optional(),
}

export const publishTemplateBody = z.object({
  workflowId: z.string().min(1).max(100),
  /** The workflow version to publish (default: its current one). */
  workflowVersion: z.number().int().min(1).optional(),
  name: z.string().max(1000),
  description: z.string().max(10_000).default(''),
  category: z.string().min(1).max(50),
  tags: z.array(z.string().min(1).max(50)).max(30).default([]),
  ...publishFields,
})

export const newVersionBody = z.object({
  workflowId: z.string().min(1).max(100),
  workflowVersion: z.number().int().min(1).optional(),
  changelog: z.string().max(10_000).default(''),
  ...publishFields,
})

export const rollbackBody = z.object({ version: z.number().int().min(1) })

/** A template as the services see it, built-in or workspace: its metadata, its versions, and one version's content. */
export interface LoadedTemplate {
  meta: TemplateMeta
  versions: Array<{ number: number; changelog: string; createdAt: Date | null }>
  content(number: number): Promise<CatalogVersion>
}

export async function loadTemplate(db: TenantDb, id: string): Promise<LoadedTemplate> {
  const builtin = builtinTemplate(id)
  if (builtin) {
    return {
      meta: builtin.meta,
      versions: builtin.versions,
      content: async (number) => builtin.versions.find((v) => v.number === number) ?? Promise.reject(new NotFoundError(`Version ${number}`)),
    }
  }
  if (id.startsWith(BUILTIN_PREFIX)) throw new NotFoundError('Template')
  const row = await db.template.findFirst({ where: { id } })
  if (!row) throw new NotFoundError('Template')
  const versions = await db.templateVersion.findMany({ where: { templateId: id }, select: { number: true, changelog: true, createdAt: true }, orderBy: { number: 'asc' } })
  const meta: TemplateMeta = {
    id, source: 'workspace', name: row.name, description: row.description, category: row.category, tags: row.tags, currentVersion: row.currentVersion, latestVersion: row.latestVersion,
  }
  return {
    meta,
    versions,
    async content(number) {
      const v = await db.templateVersion.findFirst({ where: { templateId: id, number } })
      if (!v) throw new NotFoundError(`Version ${number}`)
      const content = templateContentSchema.parse({ ...meta, graph: v.graph, parameters: v.parameters, credentials: v.credentials, testCases: v.testCases })
      return { number, changelog: v.changelog, createdAt: v.createdAt, content, nodeTypes: v.nodeTypes }
    },
  }
}

export async function listTemplates(prisma: PrismaClient, tenantId: string, filter: CatalogFilter) {
  const db = forTenant(prisma, tenantId)
  const rows = await db.template.findMany({ orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }], take: 1000 })
  const versions = rows.length === 0 ? [] : await db.templateVersion.findMany({
    where: { OR: rows.map((r) => ({ templateId: r.id, number: r.currentVersion })) },
    select: { templateId: true, graph: true, parameters: true, credentials: true },
  })
  const byTemplate = new Map(versions.map((v) => [v.templateId, v]))
  const workspace = rows.flatMap((r) => {
    const v = byTemplate.get(r.id)
    if (!v) return []
    const meta: TemplateMeta = {
      id: r.id, source: 'workspace', name: r.name, description: r.description, category: r.category, tags: r.tags, currentVersion: r.currentVersion, latestVersion: r.latestVersion,
    }
    return [summarize(meta, { graph: v.graph as WorkflowGraph, parameters: v.parameters as TemplateContent['parameters'], credentials: v.credentials as TemplateContent['credentials'] })]
  })
  const all = [...workspace, ...builtinSummaries()]
  return { templates: filterTemplates(all, filter), ...facetsOf(filterTemplates(all, { source: filter.source })) }
}

export async function getTemplate(prisma: PrismaClient, tenantId: string, id: string, opts: { version?: number } = {}) {
  const t = await loadTemplate(forTenant(prisma, tenantId), id)
  const number = opts.version ?? t.meta.currentVersion
  const { content } = await t.content(number)
  return {
    ...t.meta,
    version: number,
    content,
    versions: t.versions.map((v) => ({ number: v.number, changelog: v.changelog, createdAt: v.createdAt, current: v.number === t.meta.currentVersion })),
  }
}

type PublishFields = Pick<z.infer<typeof publishTemplateBody>, 'workflowId' | 'workflowVersion' | 'parameters' | 'bindings'>

/** The workflow's graph made into a template's graph, parameters and credential slots (publish.ts says how). */
async function fromWorkflow(db: TenantDb, input: PublishFields, fallback: { parameters?: TemplateContent['parameters'] } = {}) {
  const wf = await db.workflow.findFirst({ where: { id: input.workflowId }, select: { currentVersion: true } })
  if (!wf) throw fail('workflowId', `workflow ${input.workflowId} not found in this workspace`)
  const number = input.workflowVersion ?? wf.currentVersion
  const version = await db.workflowVersion.findFirst({ where: { workflowId: input.workflowId, number }, select: { graph: true } })
  if (!version) throw fail('workflowVersion', `the workflow has no version ${number}`)
  const graph = version.graph as WorkflowGraph
  const ids = credentialUses(graph, (type) => nodeRegistry.get(type)?.credential?.param).map((u) => u.credentialId)
  const rows = ids.length === 0 ? [] : await db.credential.findMany({ where: { id: { in: ids } }, select: { id: true, kind: true } })
  return makeTemplateFromWorkflow(graph, {
    parameters: input.parameters ?? fallback.parameters ?? [],
    bindings: input.bindings,
    credentialKinds: new Map(rows.map((r) => [r.id, r.kind])),
  })
}

function versionData(content: TemplateContent, nodeTypes: string[]) {
  return {
    graph: content.graph as object,
    parameters: content.parameters as object[],
    credentials: content.credentials as object[],
    testCases: content.testCases as object[],
    nodeTypes,
  }
}

/** POST /api/templates: the workflow published as version 1 of a new workspace template. */
export async function publishTemplate(prisma: PrismaClient, actor: Actor, input: z.infer<typeof publishTemplateBody>): Promise<{ id: string; version: number }> {
  const db = forTenant(prisma, actor.tenantId)
  const name = cleanName(input.name, 'name')
  const made = await fromWorkflow(db, input)
  const { content, nodeTypes } = checkTemplateContent({ ...made, name, description: input.description, category: input.category, tags: input.tags, testCases: input.testCases ?? [] })
  if (await db.template.findFirst({ where: { name }, select: { id: true } })) throw nameTaken(name)
  return createTemplate(db, actor, content, nodeTypes, { changelog: 'First version', sourceWorkflowId: input.workflowId })
}

/** A new workspace template holding `content` as version 1. */
export async function createTemplate(db: TenantDb, actor: Actor, content: TemplateContent, nodeTypes: string[], opts: { changelog: string; sourceWorkflowId?: string }) {
  try {
    const id = await db.$transaction(async (tx) => {
      const t = await tx.template.create({
        data: {
          tenantId: actor.tenantId, name: content.name, description: content.description, category: content.category, tags: content.tags,
          currentVersion: 1, latestVersion: 1, sourceWorkflowId: opts.sourceWorkflowId, createdById: actor.userId,
        },
        select: { id: true },
      })
      await tx.templateVersion.create({ data: { tenantId: actor.tenantId, templateId: t.id, number: 1, changelog: opts.changelog, authorId: actor.userId, ...versionData(content, nodeTypes) } })
      return t.id
    })
    return { id, version: 1 }
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(content.name)
    throw err
  }
}

function workspaceOnly(id: string, what: string): void {
  if (id.startsWith(BUILTIN_PREFIX)) throw fail('id', `a built-in template cannot be ${what}; publish a copy of it into the workspace instead`)
}

/** Appends a version and makes it current; two publishes at once both land, numbered one after the other. */
export async function appendVersion(db: TenantDb, actor: Actor, templateId: string, content: TemplateContent, nodeTypes: string[], changelog: string) {
  for (let attempt = 0; ; attempt++) {
    const row = await db.template.findFirst({ where: { id: templateId }, select: { latestVersion: true } })
    if (!row) throw new NotFoundError('Template')
    const number = row.latestVersion + 1
    // Compare-and-set on latestVersion: a publish that won the race makes this one match nothing, and it tries again.
    const landed = await db.$transaction(async (tx) => {
      const moved = await tx.template.updateMany({ where: { id: templateId, latestVersion: row.latestVersion }, data: { latestVersion: number, currentVersion: number } })
      if (moved.count === 0) return false
      await tx.templateVersion.create({ data: { tenantId: actor.tenantId, templateId, number, changelog, authorId: actor.userId, ...versionData(content, nodeTypes) } })
      return true
    })
    if (landed) return { id: templateId, version: number }
    if (attempt >= 10) throw new ConflictError('The template is being given new versions too fast; try again')
  }
}

/** POST /api/templates/:id/versions: parameters and test cases default to the newest version's. */
export async function publishVersion(prisma: PrismaClient, actor: Actor, id: string, input: z.infer<typeof newVersionBody>) {
  workspaceOnly(id, 'given new versions')
  const db = forTenant(prisma, actor.tenantId)
  const t = await loadTemplate(db, id)
  const latest = await t.content(t.meta.latestVersion)
  const made = await fromWorkflow(db, input, { parameters: latest.content.parameters })
  const { name, description, category, tags } = t.meta
  const { content, nodeTypes } = checkTemplateContent({ ...made, name, description, category, tags, testCases: input.testCases ?? latest.content.testCases })
  return appendVersion(db, actor, id, content, nodeTypes, input.changelog)
}

/** POST /api/templates/:id/rollback: `version` becomes current; the history stays, and a later version can be made current again. */
export async function rollbackTemplate(prisma: PrismaClient, actor: Actor, id: string, input: z.infer<typeof rollbackBody>) {
  workspaceOnly(id, 'rolled back')
  const db = forTenant(prisma, actor.tenantId)
  const t = await loadTemplate(db, id)
  if (!t.versions.some((v) => v.number === input.version)) throw fail('version', `the template has no version ${input.version} (it has 1 to ${t.meta.latestVersion})`)
  await db.template.updateMany({ where: { id }, data: { currentVersion: input.version } })
  return { id, currentVersion: input.version, latestVersion: t.meta.latestVersion }
}

/** Workflows made from it keep working; they show the template as missing. */
export async function deleteTemplate(prisma: PrismaClient, tenantId: string, id: string): Promise<void> {
  workspaceOnly(id, 'deleted')
  const { count } = await forTenant(prisma, tenantId).template.deleteMany({ where: { id } })
  if (count === 0) throw new NotFoundError('Template')
}
