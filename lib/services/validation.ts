// Graph validation for save and run: zod shape first, then the engine's semantic checks against the registry.
import { workflowGraphSchema, type WorkflowGraph } from '../engine/graph-schema'
import { validateGraph } from '../engine/validate'
import { nodeRegistry } from '../nodes/registry'
import { ValidationError } from '../errors'

export interface GraphProblem {
  path: string
  nodeId?: string
  field?: string
  code: string
  message: string
}

export function checkGraph(raw: unknown): { ok: boolean; graph?: WorkflowGraph; problems: GraphProblem[] } {
  const parsed = workflowGraphSchema.safeParse(raw)
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => ({ path: ['graph', ...i.path.map(String)].join('.'), code: 'SCHEMA', message: i.message })),
    }
  }
  const result = validateGraph(parsed.data, nodeRegistry)
  const problems = result.problems as GraphProblem[]
  return { ok: problems.length === 0, graph: parsed.data, problems }
}

/** Throws a 400 listing every problem (fields keyed by path) when the graph cannot be saved or run. */
export function assertValidGraph(raw: unknown): WorkflowGraph {
  const { graph, problems } = checkGraph(raw)
  if (problems.length > 0 || !graph) {
    const fields = Object.fromEntries(problems.map((p) => [p.path, p.message]))
    throw new ValidationError(`${problems[0].path}: ${problems[0].message}`, fields, { problems })
  }
  return graph
}
