// Workspace roles, lowest to highest. An operator runs workflows and watches runs but edits nothing; a viewer only reads.
export type Role = 'owner' | 'admin' | 'editor' | 'operator' | 'viewer'

export const ROLES: readonly Role[] = ['viewer', 'operator', 'editor', 'admin', 'owner']

const RANK: Record<Role, number> = { viewer: 0, operator: 1, editor: 2, admin: 3, owner: 4 }

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && value in RANK
}

export function hasRole(actual: Role, needed: Role): boolean {
  return RANK[actual] >= RANK[needed]
}

/** The less privileged of two roles. */
export function lowerRole(a: Role, b: Role): Role {
  return RANK[a] <= RANK[b] ? a : b
}
