// How the studio names each audit action: one human label per entry of AUDIT_ACTIONS (a missing one is a type
// error), and the groups the audit page's action filter shows. Safe for the browser.
import { AUDIT_ACTIONS, type AuditAction } from './actions'

export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  'auth.signin': 'Signed in',
  'auth.signin_failed': 'Sign-in failed',
  'auth.signout': 'Signed out',
  'auth.signout_everywhere': 'Signed out everywhere',
  'auth.locked_out': 'Locked out',
  'auth.password_changed': 'Password changed',
  'auth.password_reset_requested': 'Password reset requested',
  'auth.password_reset': 'Password reset',
  'auth.mfa_enabled': 'Two-factor sign-in turned on',
  'auth.mfa_disabled': 'Two-factor sign-in turned off',
  'auth.recovery_code_used': 'Recovery code used',
  'auth.session_revoked': 'Session signed out',
  'workspace.created': 'Workspace created',
  'workspace.renamed': 'Workspace renamed',
  'workspace.ownership_transferred': 'Ownership transferred',
  'workspace.settings_changed': 'Workspace settings changed',
  'member.invited': 'Member invited',
  'member.invite_revoked': 'Invite revoked',
  'member.joined': 'Member joined',
  'member.role_changed': 'Role changed',
  'member.removed': 'Member removed',
  'apikey.created': 'API key created',
  'apikey.revoked': 'API key revoked',
  'apikey.expired_used': 'Expired API key used',
  'apikey.revoked_used': 'Revoked API key used',
  'credential.created': 'Credential created',
  'credential.updated': 'Credential updated',
  'credential.restored': 'Credential version restored',
  'credential.deleted': 'Credential deleted',
  'credential.used': 'Credential used by a run',
  'credential.connected': 'Credential connected',
  'credential.tested': 'Credential tested',
  'vault.key_rotated': 'Master key rotated',
  'workflow.created': 'Workflow created',
  'workflow.deleted': 'Workflow deleted',
  'workflow.activated': 'Workflow activated',
  'workflow.deactivated': 'Workflow deactivated',
  'workflow.published': 'Workflow published',
  'workflow.exported': 'Workflow exported',
  'workflow.imported': 'Workflow imported',
  'workspace.exported': 'Workspace exported',
  'workspace.imported': 'Workspace imported',
  'template.deleted': 'Template deleted',
  'template.exported': 'Template exported',
  'collection.deleted': 'Collection deleted',
  'execution.deleted': 'Execution deleted',
  'execution.pruned': 'Old executions pruned',
  'audit.exported': 'Audit log exported',
}

const GROUP_LABELS: Record<string, string> = {
  auth: 'Sign-in and security',
  workspace: 'Workspace',
  member: 'Members',
  apikey: 'API keys',
  credential: 'Credentials',
  vault: 'Credentials',
  workflow: 'Workflows',
  template: 'Templates',
  collection: 'Collections',
  execution: 'Executions',
  audit: 'Audit log',
}

/** The label of a recorded action; an action this version does not know is shown as written. */
export function auditActionLabel(action: string): string {
  return (AUDIT_ACTION_LABELS as Record<string, string>)[action] ?? action
}

/** The action filter's groups, in AUDIT_ACTIONS order: each offers "any of the group" (a prefix) and its actions. */
export function auditActionGroups(): Array<{ label: string; prefix: string; actions: Array<{ value: AuditAction; label: string }> }> {
  const groups = new Map<string, { label: string; prefix: string; actions: Array<{ value: AuditAction; label: string }> }>()
  for (const action of AUDIT_ACTIONS) {
    const prefix = `${action.split('.')[0]}.`
    const group = groups.get(prefix) ?? { label: GROUP_LABELS[prefix.slice(0, -1)] ?? prefix, prefix, actions: [] }
    group.actions.push({ value: action, label: AUDIT_ACTION_LABELS[action] })
    groups.set(prefix, group)
  }
  return [...groups.values()]
}
