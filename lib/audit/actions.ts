// Every action the audit log records, in one list: writers name one of these, the audit page filters by them.
export const AUDIT_ACTIONS = [
  // accounts
  'auth.signin', 'auth.signin_failed', 'auth.signout', 'auth.signout_everywhere', 'auth.locked_out',
  'auth.password_changed', 'auth.password_reset_requested', 'auth.password_reset',
  'auth.mfa_enabled', 'auth.mfa_disabled', 'auth.recovery_code_used', 'auth.session_revoked',
  // workspaces and members
  'workspace.created', 'workspace.renamed', 'workspace.ownership_transferred', 'workspace.settings_changed',
  'member.invited', 'member.invite_revoked', 'member.joined', 'member.role_changed', 'member.removed',
  // API keys
  'apikey.created', 'apikey.revoked', 'apikey.expired_used', 'apikey.revoked_used',
  // credentials
  'credential.created', 'credential.updated', 'credential.restored', 'credential.deleted', 'credential.used',
  'credential.connected', 'credential.tested', 'vault.key_rotated',
  // workflows and data
  'workflow.created', 'workflow.deleted', 'workflow.activated', 'workflow.deactivated', 'workflow.published',
  'workflow.exported', 'workflow.imported', 'workspace.exported', 'workspace.imported',
  'template.deleted', 'template.exported', 'collection.deleted', 'execution.deleted',
  'execution.pruned',
  'audit.exported',
] as const

export type AuditAction = (typeof AUDIT_ACTIONS)[number]

export function isAuditAction(value: unknown): value is AuditAction {
  return typeof value === 'string' && (AUDIT_ACTIONS as readonly string[]).includes(value)
}
