import { z } from 'zod'
import type { NodeDefinition } from '../../engine/types'

export const WEBHOOK_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const

/** Segments of letters, digits, `-` and `_`, separated by single slashes: `orders/new`. */
export const webhookPathSchema = z
  .string()
  .trim()
  .transform((p) => p.replace(/^\/+|\/+$/g, ''))
  .pipe(
    z
      .string()
      .min(1, 'Give the webhook a path, e.g. "orders/new"')
      .max(200)
      .regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, 'Use letters, digits, "-" and "_" in segments separated by "/"'),
  )

export const webhookTriggerParams = z.object({
  path: webhookPathSchema.describe('URL path after /api/webhooks/, e.g. "orders/new"'),
  method: z.enum(WEBHOOK_METHODS).default('POST').describe('HTTP method the webhook accepts'),
  responseMode: z
    .enum(['onReceived', 'lastNode'])
    .default('onReceived')
    .describe('onReceived: answer 202 with the execution id at once. lastNode: wait and answer with what a Respond to webhook node sends'),
  timeoutMs: z.coerce.number().int().min(1000).max(300_000).default(30_000).describe('lastNode only: how long the caller waits for the answer'),
})
export type WebhookTriggerParams = z.infer<typeof webhookTriggerParams>

/** The item a webhook run starts with. */
export interface WebhookItem {
  body: unknown
  headers: Record<string, string>
  query: Record<string, string | string[]>
  method: string
  path: string
  [key: string]: unknown
}

export const webhookTrigger: NodeDefinition<WebhookTriggerParams> = {
  type: 'webhook-trigger',
  version: 1,
  label: 'Webhook',
  description: 'Starts the workflow when an HTTP request arrives at /api/webhooks/<path>. Outputs { body, headers, query, method, path }.',
  icon: 'Webhook',
  category: 'trigger',
  trigger: { kind: 'webhook' },
  params: webhookTriggerParams,
  inputs: [],
  outputs: [{ name: 'main' }],
  load: () => import('./execute'),
}
