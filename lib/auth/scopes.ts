// API key scopes. A route asks for a role (requireAuth(req, role)); a key must also hold the scope that role's work
// needs: reading (viewer), running and cancelling (operator), changing (editor), administering (admin, owner).
// A key made before scopes existed (no scopes) holds them all, up to its role.
import type { Role } from './roles'

export type Scope = 'read' | 'run' | 'write' | 'admin'
export const SCOPES: readonly Scope[] = ['read', 'run', 'write', 'admin']

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value)
}

/** The scope a request needing `role` asks of an API key. */
export function scopeForRole(role: Role): Scope {
  switch (role) {
    case 'viewer':
      return 'read'
    case 'operator':
      return 'run'
    case 'editor':
      return 'write'
    default:
      return 'admin'
  }
}

/** Whether a key holding `scopes` may do what `needed` asks. An empty list is a key from before scopes: all of them. */
export function keyAllows(scopes: readonly string[], needed: Scope): boolean {
  return scopes.length === 0 || scopes.includes(needed)
}
