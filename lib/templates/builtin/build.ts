// Builders for the built-in templates' graphs: nodes laid out on a grid, left to right (a column per step, a row per
// branch), edges named after their ends, credential slots as the exported file writes them.
import type { BuiltinTemplate, TemplateContentInput } from '../types'

type GraphInput = TemplateContentInput['graph']
type NodeInput = GraphInput['nodes'][number]
type EdgeInput = NonNullable<GraphInput['edges']>[number]

const COLUMN = 260
const ROW = 160

/** A node in column `col` and row `row` of the canvas. */
export function node(id: string, type: string, name: string, params: Record<string, unknown>, col: number, row = 0): NodeInput {
  return { id, type, name, params, position: { x: col * COLUMN, y: row * ROW } }
}

export function edge(source: string, target: string, sourcePort = 'main', targetPort = 'main'): EdgeInput {
  return { id: `${source}:${sourcePort}->${target}:${targetPort}`, source, sourcePort, target, targetPort }
}

/** What stands in a node's credential param: the slot the user fills with a credential of one of the slot's kinds. */
export const slot = (ref: string) => ({ $credentialRef: ref })

/** A built-in with one version so far. */
export function firstVersion(slug: string, content: TemplateContentInput): BuiltinTemplate {
  return { slug, versions: [{ number: 1, changelog: 'First version', content }] }
}

/** The `path` parameter of a webhook-started template (the Webhook node's path is `{{ $param.path }}`). */
export const pathParam = (path: string) => ({ name: 'path', label: 'Webhook path', type: 'string', default: path, required: true, description: 'The URL path after /api/webhooks/' }) as const

/** The `model` parameter of an AI template. */
export const modelParam = { name: 'model', label: 'Model', type: 'string', default: 'default', required: true, description: 'A model or route name of your AI settings' } as const

/** What a Webhook node outputs for a POST with this JSON body. */
export function webhookItem(path: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return { body, headers, query: {}, method: 'POST', path }
}

/** The `ai` usage record LLM nodes add to their items (for recorded responses). */
export function aiUsage(model: string, inputTokens: number, outputTokens: number, costUsd: number, latencyMs: number) {
  return { deployment: 'default', model, inputTokens, outputTokens, costUsd, latencyMs, fallbackIndex: 0 }
}
