// Runs the fake LLM server in its own process (benchmarks: keeps its work off the measured event loop).
// Prints the base URL on stdout.
import { startFakeLlm } from './llm-server'

const fake = await startFakeLlm(process.argv[2] ?? 'A short answer from the fake model.')
process.stdout.write(`${fake.url}\n`)
process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)))
