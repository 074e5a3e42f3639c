// Using a template and upgrading what was made from it. "Use" checks the parameter values and the credential chosen
// for each slot, resolves the version's graph (node ids kept: an upgrade matches nodes by them) and creates the
// workflow through createWorkflow, so it is validated and scoped like any save; the workflow remembers the template,
// the version and the inputs. An upgrade resolves the version it came from and the one it moves to with those same
// inputs and merges three ways (lib/templates/upgrade.ts), saving a new workflow version. docs/templates.md.
import { z } from 'zod'
import type { PrismaClient } from '../db/generated/client'
import { forTenant, type TenantDb } from '../db/scope'
import type { WorkflowGraph } from '../engine/graph-schema'
import { RESERVED_KEYS } from '../engine/safe-keys'
import { AppError, ConflictError, NotFoundError, ValidationError } from '../errors'
import { checkParamValues, resolveTemplateParams } from '../templates/params'
import type { TemplateContent, TemplateCredentialSlot, TemplateInputs } from '../templates/types'
import { planUpgrade } from '../templates/upgrade'
import type { ActivationDeps } from './activation'
import { loadTemplate, type LoadedTemplate } from './templates'
import { cleanName, findReservedKey, fromCredentialRefs } from './workflow-file'
import { createWorkflow, updateWorkflow, type Actor } from './workflows'

const fail = (field: string, message: string) => new ValidationError(`${field}: ${message}`, { [field]: message })

const noReservedKeys = (v: unknown) => findReservedKey(v) === null
const reservedMessage = `must not use the reserved names ${[...RESERVED_KEYS].join(', ')}`
const credentialChoice = z.unknown().refine(noReservedKeys, reservedMessage).pipe(z.record(z.string().min(1).max(100), z.string().min(1).max(100)))
const paramValues = z.record(z.string(), z.unknown())

export const useTemplateBody = z.object({
  name: z.string().max(1000).optional(),
  version: z.number().int().min(1).optional(),
  params: paramValues.default({}),
  /** Credential slot ref → a credential of this workspace. */
  credentials: credentialChoice.default({}),
})

export const upgradeQuery = z.object({ to: z.coerce.number().int().min(1).optional() })

export const upgradeBody = z.object({
  to: z.number().int().min(1),
  /** The workflow version the preview was made against: a save since then is a 409, as for PUT /api/workflows/:id. */
  baseVersion: z.number().int().min(1),
  resolutions: z.unknown().refine(noReservedKeys, reservedMessage).pipe(z.record(z.string(), z.enum(['template', 'workflow']))).default({}),
  /** Values for parameters the new version adds (the rest are the workflow's own). */
  params: paramValues.optional(),
  /** Credentials for slots the new version adds. */
  credentials: credentialChoice.optional(),
})

/** Each slot's credential: one of this workspace, of a kind the slot takes; a required slot must have one. */
async function checkCredentials(db: TenantDb, slots: TemplateCredentialSlot[], given: Record<string, string>, field = 'credentials') {
  const byRef = new Map(slots.map((s) => [s.ref, s]))
  for (const ref of Object.keys(given)) {
    if (!byRef.has(ref)) throw fail(`${field}.${ref}`, `is not a credential slot of this template (it has: ${[...byRef.keys()].join(', ') || 'none'})`)
  }
  const ids = Object.values(given)
  const rows = ids.length === 0 ? [] : await db.credential.findMany({ where: { id: { in: ids } }, select: { id: true, kind: true } })
  const kindOf = new Map(rows.map((r) => [r.id, r.kind]))
  const chosen: Record<string, string> = {}
  for (const slot of slots) {
    const at = `${field}.${slot.ref}`
    const id = given[slot.ref]
    if (!id) {
      if (slot.required) throw fail(at, `is required: choose a credential of kind ${slot.kinds.join(' or ')}`)
      continue
    }
    const kind = kindOf.get(id)
    if (!kind) throw fail(at, `credential ${id} not found in this workspace`)
    if (!slot.kinds.includes(kind)) throw fail(at, `credential ${id} is a ${kind} credential; this slot takes ${slot.kinds.join(' or ')}`)
    chosen[slot.ref] = id
  }
  return chosen
}

/** The version's graph with the inputs in place: parameter values, then each slot's credential (an unfilled optional slot is left empty). */
function instantiate(content: TemplateContent, inputs: TemplateInputs): WorkflowGraph {
  const resolved = resolveTemplateParams(content.graph, inputs.params)
  return fromCredentialRefs(resolved, new Set(content.credentials.map((c) => c.ref)), new Map(Object.entries(inputs.credentials))).graph
}

/**
 * Inputs narrowed to what `content` declares, parameters checked (a parameter a version lacks is not carried over).
 * `lenient`: a required parameter without a value is left empty (a preview shows it in `inputsNeeded` instead).
 */
function inputsFor(content: TemplateContent, inputs: TemplateInputs, lenient = false): TemplateInputs {
  const declared = new Set(content.parameters.map((p) => p.name))
  const given = Object.fromEntries(Object.entries(inputs.params).filter(([k]) => declared.has(k)))
  const slots = new Set(content.credentials.map((c) => c.ref))
  const parameters = lenient ? content.parameters.map((p) => ({ ...p, required: false })) : content.parameters
  return {
    params: checkParamValues(parameters, given),
    credentials: Object.fromEntries(Object.entries(inputs.credentials).filter(([k]) => slots.has(k))),
  }
}

/** POST /api/templates/:id/use → the new workflow's id. */
export async function useTemplate(deps: ActivationDeps, actor: Actor, id: string, input: z.infer<typeof useTemplateBody>) {
  const db = forTenant(deps.prisma, actor.tenantId)
  const t = await loadTemplate(db, id)
  const number = input.version ?? t.meta.currentVersion
  if (!t.versions.some((v) => v.number === number)) throw fail('version', `the template has no version ${number}`)
  const { content } = await t.content(number)
  const inputs: TemplateInputs = {
    params: checkParamValues(content.parameters, input.params),
    credentials: await checkCredentials(db, content.credentials, input.credentials),
  }
  const name = cleanName(input.name ?? content.name, 'name')
  const created = await createWorkflow(deps, actor, {
    name, description: content.description, graph: instantiate(content, inputs), message: `Made from template "${t.meta.name}" version ${number}`,
    template: { id, version: number, inputs },
  })
  return { workflowId: created.id, version: created.version, problems: created.problems }
}

async function templateLink(db: TenantDb, workflowId: string) {
  const wf = await db.workflow.findFirst({ where: { id: workflowId }, select: { currentVersion: true, templateId: true, templateVersion: true, templateInputs: true } })
  if (!wf) throw new NotFoundError('Workflow')
  if (!wf.templateId || wf.templateVersion === null) throw new AppError(404, 'NOT_FOUND', 'This workflow was not made from a template')
  const inputs = (wf.templateInputs ?? { params: {}, credentials: {} }) as unknown as TemplateInputs
  return { ...wf, templateId: wf.templateId, templateVersion: wf.templateVersion, inputs }
}

async function loadLinked(db: TenantDb, templateId: string): Promise<LoadedTemplate | null> {
  try {
    return await loadTemplate(db, templateId)
  } catch (err) {
    if (err instanceof NotFoundError) return null
    throw err
  }
}

/** GET /api/workflows/:id/template: where it came from and what is newer. */
export async function workflowTemplate(prisma: PrismaClient, tenantId: string, workflowId: string) {
  const db = forTenant(prisma, tenantId)
  const link = await templateLink(db, workflowId)
  const t = await loadLinked(db, link.templateId)
  if (!t) return { templateId: link.templateId, version: link.templateVersion, missing: true as const }
  return {
    templateId: link.templateId,
    source: t.meta.source,
    name: t.meta.name,
    version: link.templateVersion,
    currentVersion: t.meta.currentVersion,
    latestVersion: t.meta.latestVersion,
    upgradeAvailable: t.meta.currentVersion > link.templateVersion,
    newer: t.versions.filter((v) => v.number > link.templateVersion).map((v) => ({ number: v.number, changelog: v.changelog })),
  }
}

interface PlanOptions {
  to?: number
  baseVersion?: number
  params?: Record<string, unknown>
  credentials?: Record<string, string>
  lenient?: boolean
}

async function planFor(db: TenantDb, workflowId: string, opts: PlanOptions) {
  const link = await templateLink(db, workflowId)
  const t = await loadLinked(db, link.templateId)
  if (!t) throw new AppError(404, 'NOT_FOUND', 'The template this workflow was made from has been deleted')
  const from = link.templateVersion
  const to = opts.to ?? t.meta.currentVersion
  if (to === from || !t.versions.some((v) => v.number === to) || (to < from && to !== t.meta.currentVersion)) {
    throw fail('to', `cannot upgrade from version ${from} to ${to}: choose a newer version (${t.versions.filter((v) => v.number > from).map((v) => v.number).join(', ') || 'none'}) or the current one (${t.meta.currentVersion})`)
  }
  const baseVersion = opts.baseVersion ?? link.currentVersion
  if (baseVersion !== link.currentVersion) {
    throw new ConflictError(`Workflow was saved meanwhile: version ${link.currentVersion} is newer than ${baseVersion}`, { currentVersion: link.currentVersion })
  }
  const ours = await db.workflowVersion.findFirst({ where: { workflowId, number: baseVersion }, select: { graph: true } })
  if (!ours) throw new NotFoundError(`Version ${baseVersion}`)
  const [before, after] = await Promise.all([t.content(from), t.content(to)])
  const given: TemplateInputs = { params: { ...link.inputs.params, ...opts.params }, credentials: { ...link.inputs.credentials, ...opts.credentials } }
  const theirInputs = inputsFor(after.content, given, opts.lenient)
  const plan = planUpgrade(instantiate(before.content, inputsFor(before.content, link.inputs, true)), instantiate(after.content, theirInputs), ours.graph as WorkflowGraph)
  // What the target version asks for that the workflow was not made with: parameters it adds, slots it adds.
  const inputsNeeded = {
    params: after.content.parameters.filter((p) => !Object.hasOwn(given.params, p.name)),
    credentials: after.content.credentials.filter((c) => !given.credentials[c.ref]),
  }
  return { plan, from, to, baseVersion, theirInputs, slots: after.content.credentials, inputsNeeded }
}

/** GET /api/workflows/:id/template/upgrade?to=m: what an upgrade would change, node by node, and what needs a choice. */
export async function previewUpgrade(prisma: PrismaClient, tenantId: string, workflowId: string, opts: { to?: number }) {
  const { plan, from, to, baseVersion, inputsNeeded } = await planFor(forTenant(prisma, tenantId), workflowId, { ...opts, lenient: true })
  return { from, to, baseVersion, conflicts: plan.conflicts, changes: plan.changes, inputsNeeded }
}

/** POST /api/workflows/:id/template/upgrade: the merge saved as a new workflow version; the workflow now comes from `to`. */
export async function upgradeWorkflow(prisma: PrismaClient, actor: Actor, workflowId: string, input: z.infer<typeof upgradeBody>) {
  const db = forTenant(prisma, actor.tenantId)
  const { plan, from, to, baseVersion, theirInputs, slots } = await planFor(db, workflowId, input)
  const graph = plan.merged(input.resolutions)
  const inputs: TemplateInputs = { params: theirInputs.params, credentials: await checkCredentials(db, slots, theirInputs.credentials) }
  const saved = await updateWorkflow(prisma, actor, workflowId, { baseVersion, graph, message: `Upgraded from template version ${from} to ${to}` })
  await db.workflow.updateMany({ where: { id: workflowId }, data: { templateVersion: to, templateInputs: inputs as object } })
  return { id: workflowId, version: saved.version, templateVersion: to, problems: saved.problems }
}
