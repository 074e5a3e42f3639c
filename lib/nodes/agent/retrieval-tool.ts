// The Agent's retrieval tool: the model asks with a query, the tool searches the configured collection and hands
// back the passages (chunk id, document key, title, text, score) for the model to quote and cite.
import type { ExecuteContext } from '../../engine/types'
import type { ToolSpec } from '../../ai/types'
import type { HostServices } from '../host-services'
import { searchRequest, vectorScope, withFields } from '../retrieval/vectors'
import type { AgentTool } from './definition'

/** The arguments every retrieval tool takes, whatever its `parameters` say. */
export const RETRIEVAL_TOOL_PARAMETERS = {
  type: 'object',
  properties: { query: { type: 'string', description: 'What to look for, in plain words' } },
  required: ['query'],
  additionalProperties: false,
} as const

export function toolSpec(tool: AgentTool): ToolSpec {
  return { name: tool.name, description: tool.description, parameters: tool.kind === 'retrieval' ? { ...RETRIEVAL_TOOL_PARAMETERS } : tool.parameters }
}

export interface RetrievedPassage {
  chunkId: string
  documentKey: string
  title: string
  text: string
  score: number
}

export async function searchTool(ctx: ExecuteContext<unknown, Pick<HostServices, 'vectors'>>, tool: AgentTool, args: Record<string, unknown>): Promise<RetrievedPassage[]> {
  const query = typeof args.query === 'string' ? args.query.trim() : ''
  if (!query) throw new Error('give a non-empty "query" (text) to search for')
  const result = await withFields({ fallback: 'tools' }, () =>
    ctx.services.vectors.search(vectorScope(ctx), tool.collection!, searchRequest(query, { mode: tool.mode, topK: tool.topK, filter: tool.filter, rerankModel: '' })),
  )
  return result.hits.map((h) => ({ chunkId: h.chunkId, documentKey: h.documentKey, title: h.title || h.documentKey, text: h.text, score: h.score }))
}
