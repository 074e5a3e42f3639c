// API keys: shown once at creation, stored only as a SHA-256 hash (keys are long random strings, so a
// slow hash adds nothing). The prefix tells keys apart in lists.
import { createHash, randomBytes } from 'node:crypto'

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
