// npm run rotate-key: moves the credentials vault to a new master key without stopping the studio.
// Keys come from AUTERITY_ENCRYPTION_KEY (old) and AUTERITY_ENCRYPTION_KEY_NEXT (new), or, when the old one is not in
// the environment, from the .data/secrets.json that `npm start` generated (a new key is generated into it when it has
// none). Running processes must accept the new key before rows are re-wrapped under it: with the .data file they
// re-read it on their own; with the environment, set NEXT on every process first (this script says so and stops).
// Safe to run again: it finishes an interrupted rotation.
import fs from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { createPrisma } from '../lib/db/client'
import { localSecrets, readEnv, requireDatabaseUrl } from '../lib/env'
import { keyId, parseKey } from '../lib/credentials/crypto'
import { rotateMasterKey } from '../lib/credentials/rotate'

const e = readEnv()
const fromEnv = Boolean(process.env.AUTERITY_ENCRYPTION_KEY)
const secretsFile = path.join(e.dataDir, 'secrets.json')
const fingerprint = (raw: string) => keyId(parseKey(raw))

const old = e.encryptionKey
if (!old) {
  console.error(`No master key found: set AUTERITY_ENCRYPTION_KEY, or run this where ${secretsFile} exists.`)
  process.exit(2)
}
let next = e.encryptionKeyNext
if (!next) {
  const suggestion = randomBytes(32).toString('base64')
  if (fromEnv) {
    console.error(
      [
        'AUTERITY_ENCRYPTION_KEY_NEXT is not set. To rotate without downtime:',
        `  1. Set AUTERITY_ENCRYPTION_KEY_NEXT on every process (web, webhooks, realtime, workers) and restart them, e.g.`,
        `       AUTERITY_ENCRYPTION_KEY_NEXT=${suggestion}`,
        '  2. Run npm run rotate-key again with both keys set.',
      ].join('\n'),
    )
    process.exit(2)
  }
  next = suggestion
  writeSecrets({ ...localSecrets(e.dataDir), encryptionKeyNext: next })
  console.log(`Generated a new master key (${fingerprint(next)}) into ${secretsFile} as encryptionKeyNext.`)
}

const prisma = createPrisma(requireDatabaseUrl(), { max: 2 })
try {
  console.log(`Rotating the credentials vault from master key ${fingerprint(old)} to ${fingerprint(next)}…`)
  const from = [old, e.encryptionKeyPrevious].filter((k): k is string => Boolean(k))
  const result = await rotateMasterKey({ prisma, from, to: next, log: (line) => console.log(`  ${line}`) })
  console.log(`Done: ${result.rewrapped} workspace key(s) re-wrapped, ${result.resealed} legacy secret(s) and ${result.userSecrets} sign-in (TOTP) secret(s) resealed; every workspace key is now under ${result.to}.`)
  if (fromEnv) {
    console.log(
      [
        'Next, on every process:',
        '  1. Set AUTERITY_ENCRYPTION_KEY to the value of AUTERITY_ENCRYPTION_KEY_NEXT,',
        '     set AUTERITY_ENCRYPTION_KEY_PREVIOUS to the old AUTERITY_ENCRYPTION_KEY, remove AUTERITY_ENCRYPTION_KEY_NEXT, and restart.',
        '  2. When every process has restarted, remove AUTERITY_ENCRYPTION_KEY_PREVIOUS and destroy the old key.',
      ].join('\n'),
    )
  } else {
    writeSecrets({ ...localSecrets(e.dataDir), encryptionKey: next, encryptionKeyPrevious: old, encryptionKeyNext: undefined })
    console.log(
      [
        `${secretsFile} now holds the new key as encryptionKey and the old one as encryptionKeyPrevious.`,
        'Next: restart the studio; then delete encryptionKeyPrevious from that file.',
      ].join('\n'),
    )
  }
} catch (err) {
  console.error(`Rotation stopped: ${(err as Error).message}`)
  console.error('Nothing is lost: both keys are still accepted. Fix the cause and run npm run rotate-key again to finish.')
  process.exitCode = 1
} finally {
  await prisma.$disconnect()
}

function writeSecrets(secrets: Record<string, string | undefined>): void {
  // Written beside and renamed over, so a crash never leaves a half-written key file.
  const tmp = `${secretsFile}.${process.pid}.tmp`
  fs.mkdirSync(path.dirname(secretsFile), { recursive: true })
  fs.writeFileSync(tmp, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 })
  fs.renameSync(tmp, secretsFile)
}
