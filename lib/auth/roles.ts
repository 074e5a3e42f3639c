export type Role = 'owner' | 'admin' | 'editor' | 'viewer'

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 }

export function hasRole(actual: Role, needed: Role): boolean {
  return RANK[actual] >= RANK[needed]
}

/** The less privileged of two roles. */
export function lowerRole(a: Role, b: Role): Role {
  return RANK[a] <= RANK[b] ? a : b
}
