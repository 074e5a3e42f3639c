// Request bodies and queries of the REST API (docs/api.md), shared by route handlers and tests.
import { z } from 'zod'
import { workflowSettingsBody } from './workflow-settings'

const items = z.array(z.record(z.string(), z.unknown())).max(100_000)

export const createWorkflowBody = z.object({
  name: z.string().trim().min(1, 'name is required').max(200),
  description: z.string().max(10_000).optional(),
  graph: z.unknown().refine((g) => g !== undefined, 'graph is required'),
  message: z.string().max(1000).optional(),
  /** Publish version 1 and activate it at once (its webhooks answer, its schedules fire). */
  active: z.boolean().optional(),
})

export const updateWorkflowBody = z.object({
  baseVersion: z.number().int().min(1),
  name: z.string().trim().min(1).max(200).optional(),
  description: z.string().max(10_000).optional(),
  graph: z.unknown().optional(),
  message: z.string().max(1000).optional(),
  /** Workflow settings (lib/services/workflow-settings.ts): no new version; keys not given are kept. */
  settings: workflowSettingsBody.optional(),
})

/** POST /api/workflows/:id/publish: the version to make live (default: the newest draft). */
export const publishBody = z.object({ version: z.number().int().min(1).optional() })

export const validateBody = z.object({ graph: z.unknown() })

export const runBody = z.object({ input: items.optional(), version: z.number().int().min(1).optional() })

/** PUT /api/workflows/:id/draft: the designer's graph, edited from version `baseVersion`. */
export const draftBody = z.object({ baseVersion: z.number().int().min(1), graph: z.unknown().refine((g) => g !== undefined, 'graph is required') })

/** POST /api/workflows/:id/draft/run: the graph as it is in the designer, and the manual trigger's input. */
export const draftRunBody = z.object({ graph: z.unknown().refine((g) => g !== undefined, 'graph is required'), input: items.optional() })

export const testStepBody = z.object({ nodeId: z.string().min(1), graph: z.unknown().optional(), input: items.optional() })

/** `version`: 'original' re-runs the version the execution ran; 'current' the workflow's newest draft. */
export const retryBody = z.object({ fromFailedStep: z.boolean().default(false), version: z.enum(['original', 'current']).default('original') })

export const listExecutionsQuery = z.object({
  workflowId: z.string().optional(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'canceled']).optional(),
  since: z.string().optional(),
  until: z.string().optional(),
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})

export const itemsQuery = z.object({
  port: z.string().min(1).default('main'),
  page: z.coerce.number().int().min(0).default(0),
  pageSize: z.coerce.number().int().min(1).max(1000).default(100),
})

export const versionParam = z.coerce.number().int().min(1)
