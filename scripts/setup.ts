// `npm start`'s one-shot setup child (see scripts/start.ts): migrations, Redis durability warnings and the first
// owner against the DATABASE_URL and REDIS_URL the supervisor hands it. Lines to show go to stdout; the result (the
// owner, with a generated password or API key to print once) goes back over IPC. Run apart so the supervisor, which
// lives as long as the studio, never holds Prisma.
import { setupDatabase } from '../lib/infra/prepare'

const url = (name: string) => {
  const v = process.env[name]
  if (!v) throw new Error(`${name} is not set`)
  return v
}

try {
  const result = await setupDatabase({ DATABASE_URL: url('DATABASE_URL'), REDIS_URL: url('REDIS_URL') }, (line) => console.log(line))
  process.send?.({ ok: true, ...result })
} catch (err) {
  process.send?.({ ok: false, error: err instanceof Error ? err.message : String(err) })
  process.exitCode = 1
}
