// The URL a webhook-trigger node answers on, shown in the inspector while its path is edited (the server derives
// the same path in lib/services/webhook-sync.ts when the workflow is saved).
import { webhookPathSchema } from '../nodes/webhook-trigger/definition'

/** `baseUrl`: GET /api/workflows/:id's `webhookBaseUrl`. Null while the path is invalid (the form names the problem). */
export function webhookUrl(baseUrl: string, workflowId: string, nodeId: string, path: unknown): string | null {
  const parsed = webhookPathSchema.safeParse(typeof path === 'string' ? path : '')
  if (!parsed.success) return null
  return `${baseUrl}/api/webhooks/${parsed.data || `${workflowId}/${nodeId}`}`
}
