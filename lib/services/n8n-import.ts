// Importing an n8n workflow (lib/templates/n8n): first a preview — the graph it becomes and the report of every node
// and parameter that did not come across — which the studio shows before anything is saved; then, when the person
// confirms, the same file saved as a new workflow (an inactive draft, like any import).
import { z } from 'zod'
import { importN8nWorkflow, type ImportReport } from '../templates/n8n/import'
import type { WorkflowGraphInput } from '../engine/graph-schema'
import type { ActivationDeps } from './activation'
import { cleanName } from './workflow-file'
import { createWorkflow, type Actor } from './workflows'

/** POST /api/workflows/import/n8n. `file`: n8n's exported workflow (or what its canvas copies), as JSON or text. */
export const importN8nBody = z.object({
  file: z.unknown().refine((f) => f !== undefined, 'file is required: the n8n workflow (JSON, or its text)'),
  name: z.string().max(1000).optional(),
  /** false (default): answer the preview only; true: save it as a new workflow. */
  save: z.boolean().default(false),
})
export type ImportN8nOptions = Omit<z.input<typeof importN8nBody>, 'file'>

export interface N8nImportResult {
  name: string
  report: ImportReport
  graph: WorkflowGraphInput
  /** Set once saved. */
  id?: string
  version?: number
}

const DEFAULT_NAME = 'Imported from n8n'

export async function importN8n(deps: ActivationDeps, actor: Actor, file: unknown, opts: ImportN8nOptions = {}): Promise<N8nImportResult> {
  const { graph, report, name: fileName } = importN8nWorkflow(file)
  const name = cleanName(opts.name ?? fileName ?? DEFAULT_NAME, opts.name === undefined ? 'file.name' : 'name')
  if (!opts.save) return { name, report, graph }
  const created = await createWorkflow(deps, actor, { name, graph, message: 'Imported from n8n' })
  return { name, report, graph, id: created.id, version: created.version }
}

