// Small secrets that belong to no workspace (a user's TOTP secret) sealed by a master key itself, prefixed with that
// key's id (`<keyId>.<sealed>`), so a process opens them with whichever key it knows, and `npm run rotate-key`
// (rotate.ts) finds the ones still sealed by the old key and reseals them.
import { decrypt, encrypt } from './crypto'
import type { Keyring, MasterKey } from './keyring'

export function sealWithMaster(key: MasterKey, plaintext: string, aad: string): string {
  return `${key.id}.${encrypt(plaintext, key.key, aad)}`
}

/** Throws when no key this process knows opens it. A value without a key id (sealed before ids) tries each key. */
export function openWithMaster(keyring: Keyring, sealed: string, aad: string): string {
  const dot = sealed.indexOf('.')
  const named = dot > 0 ? keyring.find(sealed.slice(0, dot)) : undefined
  if (named) return decrypt(sealed.slice(dot + 1), named.key, aad)
  for (const k of keyring.all()) {
    try {
      return decrypt(dot > 0 ? sealed.slice(dot + 1) : sealed, k.key, aad)
    } catch {
      // the next key
    }
  }
  throw new Error('no master key this process knows opens this secret')
}

/** Whether `sealed` is already sealed by `key`. */
export const sealedBy = (key: MasterKey, sealed: string) => sealed.startsWith(`${key.id}.`)
