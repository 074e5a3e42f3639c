// The fake Twilio in a child process of its own, for the tests that measure the send rate: in the test's process it
// would note arrivals on the event loop it shares with the worker, so a stall there (GC, a busy test machine) would
// note two messages sent apart as arriving together. Run as a script, it starts the fake and a control server that
// lists what the fake received; imported, `startFakeTwilioProcess` spawns it.
import { spawn } from 'node:child_process'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import readline from 'node:readline'
import { fileURLToPath } from 'node:url'

export interface ReceivedMessage {
  to: string
  from: string
  receivedAt: number
}

export interface FakeTwilioProcess {
  url: string
  messages(): Promise<ReceivedMessage[]>
  close(): void
}

export async function startFakeTwilioProcess(): Promise<FakeTwilioProcess> {
  const script = fileURLToPath(import.meta.url)
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: path.resolve(path.dirname(script), '../../..'), stdio: ['ignore', 'pipe', 'inherit', 'ipc'], env: { ...process.env, SMS_FAKE_PROCESS: '1' } })
  const first = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`the fake Twilio process exited (${code})`)))
  })
  const { url, control } = JSON.parse(first) as { url: string; control: string }
  return {
    url,
    messages: async () => (await fetch(control)).json() as Promise<ReceivedMessage[]>,
    close: () => void child.kill(),
  }
}

if (process.env.SMS_FAKE_PROCESS === '1' && process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  // Gone with the test process, however it ends.
  process.on('disconnect', () => process.exit(0))
  const { startFakeTwilio } = await import('../../fakes/twilio')
  const fake = await startFakeTwilio()
  const control = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify(fake.messages.map((m) => ({ to: m.to, from: m.from, receivedAt: m.receivedAt }))))
  })
  control.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ url: fake.url, control: `http://127.0.0.1:${(control.address() as AddressInfo).port}` })}\n`)
  })
}
