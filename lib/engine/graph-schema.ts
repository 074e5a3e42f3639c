// The one schema for a workflow graph: API bodies, saved versions, the worker and the canvas all use it.
import { z } from 'zod'
import { pinDataSchema } from './pin-data'

export const positionSchema = z.object({ x: z.number(), y: z.number() })

export const nodeSettingsSchema = z.object({
  /** Total attempts including the first (1 = no retry). */
  maxAttempts: z.number().int().min(1).max(10).default(1),
  /** First backoff delay; doubles each attempt, with jitter, capped at maxBackoffMs. */
  backoffMs: z.number().int().min(0).max(3_600_000).default(1000),
  maxBackoffMs: z.number().int().min(0).max(3_600_000).default(60_000),
  /** Per attempt. 0 = no timeout. */
  timeoutMs: z.number().int().min(0).max(86_400_000).default(0),
  /** On failure, emit the error as an item on the node's `error` output instead of failing the run. */
  continueOnFail: z.boolean().default(false),
  disabled: z.boolean().default(false),
  notes: z.string().max(10_000).optional(),
})
export type NodeSettings = z.infer<typeof nodeSettingsSchema>

export const graphNodeSchema = z.object({
  id: z.string().min(1).max(100),
  type: z.string().min(1).max(100),
  typeVersion: z.number().int().min(1).default(1),
  name: z.string().min(1).max(200),
  params: z.record(z.string(), z.unknown()).default({}),
  settings: nodeSettingsSchema.partial().default({}),
  position: positionSchema.default({ x: 0, y: 0 }),
})
export type GraphNode = z.infer<typeof graphNodeSchema>

export const graphEdgeSchema = z.object({
  id: z.string().min(1).max(200).optional(),
  source: z.string().min(1),
  sourcePort: z.string().min(1).default('main'),
  target: z.string().min(1),
  targetPort: z.string().min(1).default('main'),
})
export type GraphEdge = z.infer<typeof graphEdgeSchema>

export const stickyNoteSchema = z.object({
  id: z.string().min(1),
  text: z.string().max(20_000).default(''),
  position: positionSchema,
  width: z.number().positive().default(240),
  height: z.number().positive().default(160),
  color: z.string().max(32).optional(),
})

export const workflowGraphSchema = z.object({
  nodes: z.array(graphNodeSchema).max(20_000),
  edges: z.array(graphEdgeSchema).max(100_000).default([]),
  notes: z.array(stickyNoteSchema).default([]),
  /** Items a node outputs instead of running, in the designer's manual runs only (./pin-data.ts). By node id. */
  pinData: pinDataSchema.optional(),
})
export type WorkflowGraph = z.infer<typeof workflowGraphSchema>
/** What callers may send: defaults not yet applied. */
export type WorkflowGraphInput = z.input<typeof workflowGraphSchema>

/** The port every plain node reads from and writes to. */
export const MAIN_PORT = 'main'
/** The extra output a node gets when `continueOnFail` is on. */
export const ERROR_PORT = 'error'
