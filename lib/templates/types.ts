// What a template is: a workflow graph with `{{ $param.name }}` placeholders and `{ $credentialRef }` slots, a
// parameter schema, the credential kinds each slot takes, test cases, and gallery metadata. Browser-safe (zod only):
// the gallery, the publish dialog, the services and the worker's test runner share these schemas. docs/templates.md.
import { z } from 'zod'
import { workflowGraphSchema } from '../engine/graph-schema'

/** A parameter name: what follows `$param.` in an expression. */
export const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/

export const TEMPLATE_PARAM_TYPES = ['string', 'text', 'number', 'boolean', 'select', 'json'] as const
export type TemplateParamType = (typeof TEMPLATE_PARAM_TYPES)[number]

export const templateParameterSchema = z.object({
  name: z.string().regex(PARAM_NAME, 'must be a letter or _ followed by letters, digits or _ (at most 64)'),
  /** Shown in the "Use template" form; the name when absent. */
  label: z.string().max(200).optional(),
  type: z.enum(TEMPLATE_PARAM_TYPES),
  description: z.string().max(2000).default(''),
  required: z.boolean().default(false),
  default: z.unknown().optional(),
  /** The choices of a `select` parameter. */
  options: z.array(z.object({ value: z.union([z.string(), z.number(), z.boolean()]), label: z.string().max(200).optional() })).max(200).optional(),
})
export type TemplateParameter = z.infer<typeof templateParameterSchema>

/** A credential slot: node params holding `{ $credentialRef: ref }` take a credential of one of `kinds`. */
export const templateCredentialSlotSchema = z.object({
  ref: z.string().min(1).max(100),
  kinds: z.array(z.string().min(1).max(100)).min(1).max(20),
  label: z.string().max(200).optional(),
  required: z.boolean().default(true),
})
export type TemplateCredentialSlot = z.infer<typeof templateCredentialSlotSchema>

/** An expectation on one node's output: deep equality with `equals`, or validation against a JSON Schema. */
export const templateExpectationSchema = z
  .object({
    /** The node's name in the template graph. */
    node: z.string().min(1).max(200),
    port: z.string().min(1).max(100).default('main'),
    /** The node's whole output on that port (the items' json, in order). */
    equals: z.array(z.unknown()).optional(),
    /** A JSON Schema the array of the items' json must satisfy. */
    schema: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((e) => (e.equals === undefined) !== (e.schema === undefined), { message: 'give exactly one of equals or schema' })
export type TemplateExpectation = z.infer<typeof templateExpectationSchema>

export const templateTestCaseSchema = z.object({
  name: z.string().min(1).max(200),
  /** Parameter values (defaults fill the rest). */
  params: z.record(z.string(), z.unknown()).default({}),
  /** The items the trigger starts the run with (a webhook's body and headers, an event's payload…). */
  input: z.array(z.record(z.string(), z.unknown())).max(1000).default([{}]),
  /**
   * Recorded responses of nodes that call outside services, by node name: the items per output port
   * (`{ main: [...] }`) or, for the main port, just the items. A replayed node does not run; its recorded output does.
   */
  recorded: z.record(z.string(), z.unknown()).default({}),
  expect: z.array(templateExpectationSchema).min(1).max(100),
})
export type TemplateTestCase = z.infer<typeof templateTestCaseSchema>

export const TEMPLATE_CATEGORIES = ['ai', 'webhooks', 'schedules', 'events', 'data', 'email', 'devops', 'productivity', 'messaging', 'other'] as const

/** A template version's content: what is published, exported and shipped built in. */
export const templateContentSchema = z.object({
  name: z.string().min(1).max(200),
  description: z.string().max(10_000).default(''),
  category: z.string().min(1).max(50),
  tags: z.array(z.string().min(1).max(50)).max(30).default([]),
  graph: workflowGraphSchema,
  parameters: z.array(templateParameterSchema).max(100).default([]),
  credentials: z.array(templateCredentialSlotSchema).max(50).default([]),
  testCases: z.array(templateTestCaseSchema).max(50).default([]),
})
export type TemplateContent = z.infer<typeof templateContentSchema>
export type TemplateContentInput = z.input<typeof templateContentSchema>

/** A built-in template: content plus its stable slug and its version history (newest last). */
export interface BuiltinTemplate {
  /** `builtin:<slug>` is its id. */
  slug: string
  versions: Array<{ number: number; changelog: string; content: TemplateContentInput }>
}

/** What a workflow made from a template remembers (Workflow.templateInputs). */
export interface TemplateInputs {
  params: Record<string, unknown>
  /** Credential slot ref → the workspace credential chosen for it. */
  credentials: Record<string, string>
}

/** One case's outcome. */
export interface TemplateCaseResult {
  name: string
  status: 'passed' | 'failed' | 'error'
  /** Per expectation: passed, and what differed. */
  checks: Array<{ node: string; port: string; passed: boolean; message?: string; actual?: unknown }>
  error?: string
  durationMs: number
}

export const BUILTIN_PREFIX = 'builtin:'
