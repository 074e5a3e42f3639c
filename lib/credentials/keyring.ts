// The master keys this process knows. Normally one (AUTERITY_ENCRYPTION_KEY); while `npm run rotate-key` moves the
// vault to a new key, NEXT (the key being rotated to) and PREVIOUS (the one rotated away from) are accepted too, so
// nothing stops during the rotation. Each WorkspaceKey row names the master key that wrapped it (masterKeyId, a
// fingerprint), so the right key is picked without trying them all.
import { env, localSecrets } from '../env'
import { keyId, parseKey } from './crypto'

export interface MasterKey {
  id: string
  key: Buffer
}

export interface MasterKeys {
  primary: string | undefined
  next?: string
  previous?: string
  /** More keys accepted for reading, never for wrapping (the rotation script's extra old keys). */
  others?: string[]
}

const master = (raw: string, name: string): MasterKey => {
  try {
    const key = parseKey(raw)
    return { id: keyId(key), key }
  } catch (err) {
    throw new Error((err as Error).message.replace('AUTERITY_ENCRYPTION_KEY', name))
  }
}

/** Re-reading the .data secrets file on a miss is cheap but not free: at most this often. */
const RELOAD_MS = 2_000

export class Keyring {
  private keys!: { primary: MasterKey; next?: MasterKey; previous?: MasterKey; others: MasterKey[] }
  private reloadedAt = 0

  /** `reload`: where to look again when a row names a key this process does not know (the .data file). */
  constructor(keys: MasterKeys, private readonly reload?: () => MasterKeys) {
    this.set(keys)
  }

  private set(keys: MasterKeys): void {
    this.keys = {
      primary: master(keys.primary ?? '', 'AUTERITY_ENCRYPTION_KEY'),
      next: keys.next ? master(keys.next, 'AUTERITY_ENCRYPTION_KEY_NEXT') : undefined,
      previous: keys.previous ? master(keys.previous, 'AUTERITY_ENCRYPTION_KEY_PREVIOUS') : undefined,
      others: (keys.others ?? []).map((k) => master(k, 'an old key')),
    }
  }

  /** New data keys are wrapped with the key a rotation is moving to, so they need no second pass. */
  get wrapping(): MasterKey {
    return this.keys.next ?? this.keys.primary
  }

  /** Every key this process accepts, the primary first (legacy rows sealed directly by a master key try each). */
  all(): MasterKey[] {
    const all = [this.keys.primary, this.keys.next, this.keys.previous, ...this.keys.others].filter((k): k is MasterKey => k !== undefined)
    return all.filter((k, i) => all.findIndex((o) => o.id === k.id) === i)
  }

  find(id: string): MasterKey | undefined {
    const hit = this.all().find((k) => k.id === id)
    if (hit || !this.reload || Date.now() - this.reloadedAt < RELOAD_MS) return hit
    // A rotation run on this machine may have written a key into the .data file since this process started.
    this.reloadedAt = Date.now()
    try {
      this.set(this.reload())
    } catch {
      return undefined
    }
    return this.all().find((k) => k.id === id)
  }
}

/** The keyring of lib/env; with keys from the .data file (not the environment), a miss re-reads that file. */
export function keyringFromEnv(): Keyring {
  const e = env()
  const keys = { primary: e.encryptionKey, next: e.encryptionKeyNext, previous: e.encryptionKeyPrevious }
  const fromFile = !process.env.AUTERITY_ENCRYPTION_KEY
  return new Keyring(keys, fromFile ? () => {
    const local = localSecrets(e.dataDir)
    return { primary: local.encryptionKey, next: local.encryptionKeyNext, previous: local.encryptionKeyPrevious }
  } : undefined)
}
