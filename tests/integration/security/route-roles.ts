// Every API route and method, with the least role it needs: the single table the role-matrix, cross-tenant and
// route-walk tests read. A route file exporting a method missing here fails tests/integration/security/routes.test.ts,
// so a new route is listed together with its role. Add rows anywhere; order does not matter.
//
// The rule (docs/security.md, "Roles"):
// - viewer reads: lists, single rows, exports of one workflow or template, and pure checks that change nothing
//   (validate a graph, preview a schedule, query a collection).
// - operator runs and watches: run a workflow, cancel or retry an execution, publish an event, replay or discard an
//   event delivery, cancel a campaign. An operator edits nothing.
// - editor changes workflows, versions, templates, credentials, collections, campaigns and opt-outs; activates and
//   publishes; test-runs a step or a template while editing; calls the AI gateway.
// - admin manages the workspace: AI models, deployments, routes, budgets and fine-tunes, workspace export and import,
//   members, invites, API keys and the audit log.
// - 'public': no studio sign-in at all. Webhooks and provider callbacks authenticate themselves (signature, secret,
//   unguessable path); next-auth's own routes sign in; health checks answer anyone; the metrics scrape carries its own
//   bearer token (AUTERITY_METRICS_TOKEN), no studio role.
import type { Role } from '../../../lib/auth/roles'

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface RouteRole {
  /** The route's folder under app/, with Next's [param] segments. */
  path: string
  method: Method
  role: Role | 'public'
  /** A studio session only, every API key refused 403: the caller's own account (profile, password, MFA, sessions)
   * and the OAuth2 connect flow (bound to the browser that started it). */
  sessionOnly?: boolean
}

const table: [string, Method, Role | 'public', 'session-only'?][] = [
  ['/api/ai/budgets/[id]', 'DELETE', 'admin'],
  ['/api/ai/budgets', 'GET', 'viewer'],
  ['/api/ai/budgets', 'POST', 'admin'],
  ['/api/ai/deployments/[id]', 'PUT', 'admin'],
  ['/api/ai/deployments/[id]/test', 'POST', 'editor'],
  ['/api/ai/deployments', 'POST', 'admin'],
  ['/api/ai/evaluations/[id]', 'GET', 'viewer'],
  ['/api/ai/evaluations', 'GET', 'viewer'],
  ['/api/ai/evaluations', 'POST', 'editor'],
  ['/api/ai/fine-tunes/[id]', 'POST', 'admin'],
  ['/api/ai/fine-tunes', 'GET', 'viewer'],
  ['/api/ai/fine-tunes', 'POST', 'admin'],
  ['/api/ai/models/[id]', 'PUT', 'admin'],
  ['/api/ai/models', 'POST', 'admin'],
  ['/api/ai/registry', 'GET', 'viewer'],
  ['/api/ai/routes', 'POST', 'admin'],
  ['/api/ai/usage', 'GET', 'viewer'],
  ['/api/ai/v1/chat/completions', 'POST', 'editor'],
  ['/api/ai/v1/embeddings', 'POST', 'editor'],
  ['/api/auth/[...nextauth]', 'GET', 'public'],
  ['/api/auth/[...nextauth]', 'POST', 'public'],
  ['/api/collections/[name]/documents/[key]/chunks', 'GET', 'viewer'],
  ['/api/collections/[name]/documents', 'GET', 'viewer'],
  ['/api/collections/[name]/documents', 'POST', 'editor'],
  ['/api/collections/[name]/documents', 'DELETE', 'editor'],
  ['/api/collections/[name]/query', 'POST', 'viewer'],
  ['/api/collections/[name]', 'GET', 'viewer'],
  ['/api/collections/[name]', 'DELETE', 'editor'],
  ['/api/collections', 'GET', 'viewer'],
  ['/api/collections', 'POST', 'editor'],
  ['/api/credentials/[id]', 'GET', 'viewer'],
  ['/api/credentials/[id]', 'PUT', 'editor'],
  ['/api/credentials/[id]', 'DELETE', 'editor'],
  ['/api/credentials', 'GET', 'viewer'],
  ['/api/credentials', 'POST', 'editor'],
  ['/api/events/[id]', 'GET', 'viewer'],
  ['/api/events/deliveries/[id]/discard', 'POST', 'operator'],
  ['/api/events/deliveries/[id]/replay', 'POST', 'operator'],
  ['/api/events/deliveries', 'GET', 'viewer'],
  ['/api/events', 'GET', 'viewer'],
  ['/api/events', 'POST', 'operator'],
  ['/api/executions/[id]/cancel', 'POST', 'operator'],
  ['/api/executions/[id]/messages', 'GET', 'viewer'],
  ['/api/executions/[id]/retry', 'POST', 'operator'],
  ['/api/executions/[id]', 'GET', 'viewer'],
  ['/api/executions/[id]', 'DELETE', 'editor'],
  ['/api/executions/[id]/steps/[nodeId]/items', 'GET', 'viewer'],
  ['/api/executions', 'GET', 'viewer'],
  ['/api/executions/stats', 'GET', 'viewer'],
  ['/api/files/[id]', 'GET', 'viewer'],
  ['/api/files/[id]', 'HEAD', 'viewer'],
  ['/api/health/live', 'GET', 'public'],
  ['/api/health/ready', 'GET', 'public'],
  ['/api/metrics', 'GET', 'public'],
  ['/api/hooks/media/[fileId]', 'GET', 'public'],
  ['/api/hooks/media/[fileId]', 'HEAD', 'public'],
  ['/api/hooks/twilio/call-status/[callId]', 'POST', 'public'],
  ['/api/hooks/twilio/incoming-call/[workflowId]/[nodeId]', 'POST', 'public'],
  ['/api/hooks/twilio/recording/[callId]', 'POST', 'public'],
  ['/api/hooks/twilio/sms/[workflowId]/[nodeId]', 'POST', 'public'],
  ['/api/hooks/twilio/status/[messageId]', 'POST', 'public'],
  ['/api/hooks/twilio/voice/[callId]', 'POST', 'public'],
  ['/api/hooks/whatsapp/[workflowId]/[nodeId]', 'GET', 'public'],
  ['/api/hooks/whatsapp/[workflowId]/[nodeId]', 'POST', 'public'],
  ['/api/messaging/campaigns/[id]/cancel', 'POST', 'operator'],
  ['/api/messaging/campaigns/[id]', 'GET', 'viewer'],
  ['/api/messaging/campaigns/[id]', 'DELETE', 'editor'],
  ['/api/messaging/campaigns', 'GET', 'viewer'],
  ['/api/messaging/campaigns', 'POST', 'editor'],
  ['/api/messaging/messages/[id]', 'GET', 'viewer'],
  ['/api/messaging/messages', 'GET', 'viewer'],
  ['/api/messaging/opt-outs', 'GET', 'viewer'],
  ['/api/messaging/opt-outs', 'POST', 'editor'],
  ['/api/messaging/opt-outs', 'DELETE', 'editor'],
  ['/api/node-types', 'GET', 'viewer'],
  ['/api/schedules/preview', 'POST', 'viewer'],
  ['/api/templates/[id]/export', 'GET', 'viewer'],
  ['/api/templates/[id]/rollback', 'POST', 'editor'],
  ['/api/templates/[id]', 'GET', 'viewer'],
  ['/api/templates/[id]', 'DELETE', 'editor'],
  ['/api/templates/[id]/test', 'POST', 'editor'],
  ['/api/templates/[id]/test', 'GET', 'viewer'],
  ['/api/templates/[id]/use', 'POST', 'editor'],
  ['/api/templates/[id]/versions', 'POST', 'editor'],
  ['/api/templates/import', 'POST', 'editor'],
  ['/api/templates', 'GET', 'viewer'],
  ['/api/templates', 'POST', 'editor'],
  ['/api/webhooks-test/[...path]', 'GET', 'public'],
  ['/api/webhooks-test/[...path]', 'POST', 'public'],
  ['/api/webhooks-test/[...path]', 'PUT', 'public'],
  ['/api/webhooks-test/[...path]', 'PATCH', 'public'],
  ['/api/webhooks-test/[...path]', 'DELETE', 'public'],
  ['/api/webhooks/[...path]', 'GET', 'public'],
  ['/api/webhooks/[...path]', 'POST', 'public'],
  ['/api/webhooks/[...path]', 'PUT', 'public'],
  ['/api/webhooks/[...path]', 'PATCH', 'public'],
  ['/api/webhooks/[...path]', 'DELETE', 'public'],
  ['/api/workflows/[id]/activate', 'POST', 'editor'],
  ['/api/workflows/[id]/deactivate', 'POST', 'editor'],
  ['/api/workflows/[id]/export', 'GET', 'viewer'],
  ['/api/workflows/[id]/publish', 'POST', 'editor'],
  ['/api/workflows/[id]', 'GET', 'viewer'],
  ['/api/workflows/[id]', 'PUT', 'editor'],
  ['/api/workflows/[id]', 'DELETE', 'editor'],
  ['/api/workflows/[id]/run', 'POST', 'operator'],
  ['/api/workflows/[id]/draft', 'PUT', 'editor'],
  ['/api/workflows/[id]/draft', 'DELETE', 'editor'],
  ['/api/workflows/[id]/draft/run', 'POST', 'editor'],
  ['/api/workflows/[id]/template', 'GET', 'viewer'],
  ['/api/workflows/[id]/template/upgrade', 'GET', 'viewer'],
  ['/api/workflows/[id]/template/upgrade', 'POST', 'editor'],
  ['/api/workflows/[id]/test-step', 'POST', 'editor'],
  ['/api/workflows/[id]/triggers', 'GET', 'viewer'],
  ['/api/workflows/[id]/versions/[n]', 'GET', 'viewer'],
  ['/api/workflows/[id]/versions', 'GET', 'viewer'],
  ['/api/workflows/[id]/webhook-test', 'POST', 'editor'],
  ['/api/workflows/[id]/webhook-test', 'DELETE', 'editor'],
  ['/api/workflows/import/n8n', 'POST', 'editor'],
  ['/api/workflows/import', 'POST', 'editor'],
  ['/api/workflows', 'GET', 'viewer'],
  ['/api/workflows', 'POST', 'editor'],
  ['/api/workflows/validate', 'POST', 'viewer'],
  ['/api/workspace/export', 'GET', 'admin'],
  ['/api/workspace/import', 'POST', 'admin'],
  // Workspaces, members, invitations and API keys (lib/workspaces). A viewer may create a workspace (they own it),
  // leave one, and list or revoke their own keys; the services check who may act on whom.
  ['/api/workspaces', 'GET', 'viewer'],
  ['/api/workspaces', 'POST', 'viewer'],
  ['/api/workspaces/current', 'GET', 'viewer'],
  ['/api/workspaces/current', 'PATCH', 'admin'],
  ['/api/workspaces/current/transfer-ownership', 'POST', 'owner'],
  // How long the workspace keeps finished runs (workers/runtime/execution-prune.ts): admins, like the audit log's.
  ['/api/workspaces/current/retention', 'GET', 'admin'],
  ['/api/workspaces/current/retention', 'PUT', 'admin'],
  ['/api/workspaces/switch', 'POST', 'viewer'],
  ['/api/members', 'GET', 'viewer'],
  ['/api/members/[userId]', 'PATCH', 'admin'],
  ['/api/members/[userId]', 'DELETE', 'viewer'],
  ['/api/invites', 'GET', 'admin'],
  ['/api/invites', 'POST', 'admin'],
  ['/api/invites/[id]', 'DELETE', 'admin'],
  ['/api/invites/accept', 'POST', 'public'],
  ['/api/api-keys', 'GET', 'viewer'],
  ['/api/api-keys', 'POST', 'editor'],
  ['/api/api-keys/[id]', 'DELETE', 'viewer'],
  // The signed-in person's own account (lib/auth/account.ts): any member, by session only.
  ['/api/account', 'GET', 'viewer', 'session-only'],
  ['/api/account/password', 'POST', 'viewer', 'session-only'],
  ['/api/account/mfa/enrol', 'POST', 'viewer', 'session-only'],
  ['/api/account/mfa/confirm', 'POST', 'viewer', 'session-only'],
  ['/api/account/mfa/disable', 'POST', 'viewer', 'session-only'],
  ['/api/account/sessions', 'GET', 'viewer', 'session-only'],
  ['/api/account/sessions/[id]', 'DELETE', 'viewer', 'session-only'],
  ['/api/account/sessions/revoke-all', 'POST', 'viewer', 'session-only'],
  // The audit log (lib/audit): admins.
  ['/api/audit', 'GET', 'admin'],
  ['/api/audit/export', 'GET', 'admin'],
  ['/api/audit/settings', 'GET', 'admin'],
  ['/api/audit/settings', 'PUT', 'admin'],
  // The vault's versions, test connection, and the OAuth2 connect flow (lib/credentials).
  ['/api/credentials/[id]/versions', 'GET', 'viewer'],
  ['/api/credentials/[id]/versions/[n]/restore', 'POST', 'editor'],
  ['/api/credentials/[id]/test', 'POST', 'editor'],
  ['/api/credentials/test', 'POST', 'editor'],
  ['/api/credentials/[id]/oauth/start', 'GET', 'editor', 'session-only'],
  ['/api/oauth/callback', 'GET', 'editor', 'session-only'],
  // Password reset: the emailed token is the authentication; rate limited per email and address.
  ['/api/auth/reset/request', 'POST', 'public'],
  ['/api/auth/reset/confirm', 'POST', 'public'],
]

export const ROUTE_ROLES: readonly RouteRole[] = table.map(([path, method, role, only]) => ({ path, method, role, ...(only ? { sessionOnly: true } : {}) }))

export function roleOf(path: string, method: string): RouteRole | undefined {
  return ROUTE_ROLES.find((r) => r.path === path && r.method === method)
}
