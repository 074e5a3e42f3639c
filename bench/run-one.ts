// Child process of bench/run.ts: runs one bench module and writes its rows as JSON.
import fs from 'node:fs'
import type { BenchModule } from './types'

const [name, out] = process.argv.slice(2)
const mod = (await import(`./${name}.ts`)) as BenchModule
const rows = await mod.default()
fs.writeFileSync(out, JSON.stringify(rows))
process.exit(0)
