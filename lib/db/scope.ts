// Tenant scoping: every query on a tenant-owned model gets `tenantId` added to its filter and to the data it
// creates, so a handler cannot read or write across tenants by forgetting a where clause.
import type { PrismaClient } from './generated/client'

/** Models with a tenantId column. tests/unit/db/scope.test.ts checks this list against prisma/schema. */
export const TENANT_MODELS: ReadonlySet<string> = new Set([
  'Membership', 'ApiKey', 'Workflow', 'WorkflowVersion', 'Execution', 'StepRun', 'WebhookTrigger', 'Credential', 'AuditLog',
  'AiModel', 'AiDeployment', 'AiRoute', 'AiBudget', 'AiUsage', 'AiConversation', 'AiEvaluation', 'AiFineTuneJob', 'DedupeKey', 'File',
  'TriggerRegistration',
  'SubWorkflowRun',
  'Event', 'EventDelivery',
  'ScheduleTick',
  'Template', 'TemplateVersion', 'TemplateTestRun',
  'Message', 'MessagingOptOut', 'MessagingCampaign', 'VoiceCall', 'WhatsAppContact',
  'PageMonitor', 'PageSnapshot',
  'VectorCollection', 'VectorDocument',
  'Invite', 'WorkspaceKey', 'CredentialVersion',
  'WorkflowFolder',
])

const FILTERED = new Set([
  'findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'count', 'aggregate', 'groupBy',
  'update', 'updateMany', 'updateManyAndReturn', 'delete', 'deleteMany', 'upsert',
])

type Args = Record<string, unknown> & { where?: Record<string, unknown>; data?: unknown; create?: Record<string, unknown> }

export function scopeArgs(operation: string, args: Args | undefined, tenantId: string): Args {
  const next: Args = { ...(args ?? {}) }
  if (FILTERED.has(operation)) next.where = { ...(next.where ?? {}), tenantId }
  if (operation === 'create') next.data = { ...(next.data as object), tenantId }
  if (operation === 'createMany' || operation === 'createManyAndReturn') {
    const data = next.data
    next.data = Array.isArray(data) ? data.map((d) => ({ ...d, tenantId })) : { ...(data as object), tenantId }
  }
  if (operation === 'upsert') next.create = { ...(next.create ?? {}), tenantId }
  return next
}

export function forTenant(prisma: PrismaClient, tenantId: string) {
  if (!tenantId) throw new Error('forTenant needs a tenantId')
  return prisma.$extends({
    name: `tenant-scope`,
    query: {
      $allModels: {
        $allOperations({ model, operation, args, query }) {
          if (!TENANT_MODELS.has(model)) return query(args)
          return query(scopeArgs(operation, args as Args, tenantId) as typeof args)
        },
      },
    },
  })
}

export type TenantDb = ReturnType<typeof forTenant>
