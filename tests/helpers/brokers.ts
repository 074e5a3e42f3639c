// Broker test support: a port nothing listens on, and private broker servers (mosquitto, nats-server, RabbitMQ) on
// free ports that a test may stop and start again (the machine's own brokers are shared by every suite).
import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import fs from 'node:fs/promises'
import { connect as tcpConnect, createServer, Socket, type AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'

export async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const port = (probe.address() as AddressInfo).port
  await new Promise((resolve) => probe.close(resolve))
  return port
}

export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const s = new Socket()
      s.once('connect', () => (s.destroy(), resolve(true)))
      s.once('error', () => (s.destroy(), resolve(false)))
      s.connect(port, '127.0.0.1')
    })
    if (open) return
    if (Date.now() > end) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** A broker process on `port` that can be stopped and started again with the same data directory. */
export interface OwnBroker {
  port: number
  start(): Promise<void>
  stop(): Promise<void>
  /** Stops it and removes its data. */
  dispose(): Promise<void>
}

function ownBroker(kind: string, startTimeoutMs: number, launch: (port: number, dir: string) => ChildProcess): () => Promise<OwnBroker> {
  return async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), `${kind}-`))
    const port = await freePort()
    let child: ChildProcess | undefined
    let output = ''
    const stop = async () => {
      const c = child
      child = undefined
      if (!c || c.exitCode !== null) return
      const exited = new Promise((resolve) => c.once('exit', resolve))
      // The whole process group: rabbitmq-server is a shell script whose Erlang VM would outlive a signal to the shell.
      const signal = (sig: NodeJS.Signals) => {
        try {
          process.kill(-c.pid!, sig)
        } catch {
          // already gone
        }
      }
      signal('SIGTERM')
      const timer = setTimeout(() => signal('SIGKILL'), 15_000)
      await exited
      clearTimeout(timer)
    }
    const broker: OwnBroker = {
      port,
      async start() {
        child = launch(port, dir)
        child.stdout?.on('data', (d) => (output += d))
        child.stderr?.on('data', (d) => (output += d))
        try {
          await waitForPort(port, startTimeoutMs)
        } catch (err) {
          throw new Error(`${kind} did not start: ${(err as Error).message}\n${output.slice(-2000)}`)
        }
      },
      stop,
      async dispose() {
        await stop()
        await fs.rm(dir, { recursive: true, force: true })
      },
    }
    return broker
  }
}

export const startOwnMosquitto = ownBroker('mosquitto', 10_000, (port, dir) => {
  const conf = path.join(dir, 'mosquitto.conf')
  // Written synchronously before the spawn: listener, anonymous access, sessions kept on disk across restarts.
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location ${dir}/\n`)
  return spawn('/usr/sbin/mosquitto', ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'], detached: true })
})

export const startOwnNats = ownBroker('nats', 10_000, (port, dir) =>
  spawn('/usr/sbin/nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], { stdio: ['ignore', 'pipe', 'pipe'], detached: true }),
)

/** A RabbitMQ node of its own (name, ports, database and logs under a temp folder); takes ~5-10 s to start. */
export async function startOwnRabbit(): Promise<OwnBroker> {
  const distPort = await freePort()
  const make = ownBroker('rabbitmq', 60_000, (port, dir) => {
    writeFileSync(path.join(dir, 'plugins'), '[].')
    return spawn('/usr/lib/rabbitmq/bin/rabbitmq-server', [], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: {
        ...process.env,
        HOME: dir,
        RABBITMQ_NODENAME: `auterity-test-${port}@localhost`,
        RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
        RABBITMQ_NODE_PORT: String(port),
        RABBITMQ_DIST_PORT: String(distPort),
        RABBITMQ_MNESIA_BASE: path.join(dir, 'mnesia'),
        RABBITMQ_LOG_BASE: path.join(dir, 'log'),
        RABBITMQ_PID_FILE: path.join(dir, 'pid'),
        RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, 'plugins'),
        RABBITMQ_CONFIG_FILE: path.join(dir, 'rabbitmq'),
        RABBITMQ_ADVANCED_CONFIG_FILE: path.join(dir, 'advanced.config'),
      },
    })
  })
  return make()
}

/**
 * A TCP proxy to 127.0.0.1:`targetPort` that cuts every connection (both sides) once `cutAfterBytes` bytes went
 * from the client to the server: a broker connection dropped in the middle of a step.
 */
export async function startCuttingProxy(targetPort: number, cutAfterBytes: number): Promise<{ port: number; cuts(): number; close(): Promise<void> }> {
  let cuts = 0
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    const upstream = tcpConnect(targetPort, '127.0.0.1')
    sockets.add(client).add(upstream)
    let sent = 0
    const cut = () => {
      client.destroy()
      upstream.destroy()
    }
    client.on('data', (chunk: Buffer) => {
      sent += chunk.length
      if (sent > cutAfterBytes) {
        cuts++
        return cut()
      }
      upstream.write(chunk)
    })
    upstream.on('data', (chunk) => client.write(chunk))
    client.on('error', cut).on('close', cut)
    upstream.on('error', cut).on('close', cut)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    cuts: () => cuts,
    close: () => {
      for (const s of sockets) s.destroy()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
