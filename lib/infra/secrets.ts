// Secrets a one-machine install needs but nobody configured: generated once into <dataDir>/secrets.json
// (mode 0600) and reused on every start. Values given in the environment always win.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

export interface LocalSecrets {
  encryptionKey: string
  nextAuthSecret: string
}

export function loadOrCreateSecrets(dataDir: string): LocalSecrets {
  const file = path.join(dataDir, 'secrets.json')
  let stored: Partial<LocalSecrets> = {}
  if (fs.existsSync(file)) stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LocalSecrets>
  const secrets: LocalSecrets = {
    encryptionKey: stored.encryptionKey ?? randomBytes(32).toString('base64'),
    nextAuthSecret: stored.nextAuthSecret ?? randomBytes(32).toString('base64url'),
  }
  if (stored.encryptionKey !== secrets.encryptionKey || stored.nextAuthSecret !== secrets.nextAuthSecret) {
    fs.mkdirSync(dataDir, { recursive: true })
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 })
  }
  return secrets
}
