// API keys: shown once at creation, stored only as a SHA-256 hash (keys are long random strings, so a
// slow hash adds nothing). The prefix tells keys apart in lists.
import { createHash, randomBytes } from 'node:crypto'
import { hasRole, type Role } from './roles'
import type { Scope } from './scopes'

export const API_KEY_PREFIX = 'ak_'

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(24).toString('base64url')
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

export function displayPrefix(key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + 6)
}

const SCOPE_ROLE: Record<Scope, Role> = { read: 'viewer', run: 'operator', write: 'editor', admin: 'admin' }

/** The role a key with these scopes acts with: the highest any of them needs (a key never acts as owner). */
export function roleForScopes(scopes: readonly Scope[]): Role {
  return scopes.reduce<Role>((role, s) => (hasRole(SCOPE_ROLE[s], role) ? SCOPE_ROLE[s] : role), 'viewer')
}
