// Socket.IO on the app's HTTP server: authenticates each socket (session cookie or API key), lets it join
// only its own tenant's rooms, and relays events published by workers through the Redis adapter.
import type { Server as HttpServer } from 'node:http'
import { Server, type Socket } from 'socket.io'
import { createAdapter } from '@socket.io/redis-adapter'
import type { Redis } from 'ioredis'
import type { PrismaClient } from '../db/generated/client'
import { getPrisma } from '../db/client'
import { createRedis } from '../redis'
import { accessCache } from '../auth/access'
import { authenticateSocketHandshake } from '../auth/context'
import { parseRoom, tenantRoom, type ClientToServerEvents, type ServerToClientEvents, type SubscribeAck } from './events'
import { REALTIME_REDIS_KEY } from './emitter'
import { WatchAnnouncer } from './watch'

export interface SocketIdentity {
  tenantId: string
  userId: string | null
}

export interface RealtimeDeps {
  prisma: PrismaClient
  /** Returns a new Redis connection (the adapter needs two: publish and subscribe). */
  createRedis: () => Redis
  /** Resolves the handshake (cookie header or auth.token) to a tenant, or null when unauthenticated. */
  authenticate: (handshake: { headers: Record<string, string | string[] | undefined>; auth: Record<string, unknown> }) => Promise<SocketIdentity | null>
  /** False for a Host that serves no studio (the public webhook origin): Socket.IO answers ahead of server.ts's router. */
  acceptsHost: (host: string | undefined) => boolean
  /** Calls back when memberships or API keys may have changed (lib/auth/access); returns the unsubscribe. */
  onAccessChange: (listener: () => void) => () => void
}

export interface RealtimeServer {
  io: Server<ClientToServerEvents, ServerToClientEvents>
  close(): Promise<void>
}

type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { identity: SocketIdentity }>

/** Defaults: the process's Prisma client, REDIS_URL, and lib/auth's handshake check. */
export function attachRealtime(httpServer: HttpServer, overrides: Partial<RealtimeDeps> = {}): RealtimeServer {
  const deps: RealtimeDeps = {
    prisma: overrides.prisma ?? getPrisma(),
    createRedis: overrides.createRedis ?? (() => createRedis()),
    authenticate: overrides.authenticate ?? authenticateSocketHandshake,
    acceptsHost: overrides.acceptsHost ?? (() => true),
    onAccessChange: overrides.onAccessChange ?? ((listener) => accessCache().onClear(listener)),
  }
  const pub = deps.createRedis()
  const sub = deps.createRedis()
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { identity: SocketIdentity }>(httpServer, {
    path: '/socket.io',
    adapter: createAdapter(pub, sub, { key: REALTIME_REDIS_KEY }),
    serveClient: false,
    allowRequest: (req, accept) => accept(null, deps.acceptsHost(req.headers.host)),
  })

  io.use(async (socket, next) => {
    try {
      const identity = await deps.authenticate({ headers: socket.handshake.headers, auth: socket.handshake.auth ?? {} })
      if (!identity) return next(new Error('UNAUTHORIZED'))
      socket.data.identity = identity
      next()
    } catch {
      next(new Error('UNAUTHORIZED'))
    }
  })

  // Emitters publish a tenant's events only while one of its browsers is connected somewhere (./watch.ts).
  const announcer = new WatchAnnouncer(pub, undefined, deps.createRedis())
  io.on('connection', (socket: AppSocket) => {
    const { tenantId } = socket.data.identity
    // A subscription is acknowledged only once emitters were told this tenant is watched.
    const announced = announcer.connected(tenantId)
    socket.on('disconnect', () => announcer.disconnected(tenantId))
    socket.on('subscribe', async (req, ack) => {
      await announced
      const res = await resolveRoom(deps.prisma, socket.data.identity.tenantId, req?.room)
      if ('room' in res) await socket.join(res.room)
      ack?.('room' in res ? { ok: true } : res)
    })
    socket.on('unsubscribe', async (req, ack) => {
      const parsed = parseRoom(req?.room)
      if (parsed) await socket.leave(tenantRoom(socket.data.identity.tenantId, req.room as 'tenant'))
      ack?.(parsed ? { ok: true } : { ok: false, error: 'unknown room' })
    })
  })

  // A socket lives as long as the tab: when a member is demoted, removed or a key revoked, every socket is checked
  // again as on its handshake, and one that would be refused now is disconnected.
  let recheck: Promise<void> | undefined
  let again = false
  const recheckSockets = async () => {
    do {
      again = false
      for (const socket of io.of('/').sockets.values()) {
        const identity = await deps.authenticate({ headers: socket.handshake.headers, auth: socket.handshake.auth ?? {} }).catch(() => undefined)
        // undefined: the lookup failed (database down); the socket stays until a check can answer.
        if (identity === null || (identity && identity.tenantId !== socket.data.identity.tenantId)) socket.disconnect(true)
      }
    } while (again)
  }
  const stopWatchingAccess = deps.onAccessChange(() => {
    if (recheck) again = true
    else recheck = recheckSockets().finally(() => (recheck = undefined))
  })

  return {
    io,
    async close() {
      stopWatchingAccess()
      await recheck
      announcer.close()
      await new Promise<void>((resolve) => io.close(() => resolve()))
      await Promise.allSettled([pub.quit(), sub.quit()])
    },
  }
}

/** A workflow or execution room is only granted after checking the row belongs to the socket's tenant. */
async function resolveRoom(prisma: PrismaClient, tenantId: string, room: unknown): Promise<{ room: string } | SubscribeAck> {
  const parsed = parseRoom(room)
  if (!parsed) return { ok: false, error: 'room must be "tenant", "workflow:<id>" or "execution:<id>"' }
  if (parsed.kind === 'tenant') return { room: tenantRoom(tenantId, 'tenant') }
  const owned =
    parsed.kind === 'workflow'
      ? await prisma.workflow.findFirst({ where: { id: parsed.id, tenantId }, select: { id: true } })
      : await prisma.execution.findFirst({ where: { id: parsed.id, tenantId }, select: { id: true } })
  if (!owned) return { ok: false, error: `${parsed.kind} not found` }
  return { room: tenantRoom(tenantId, `${parsed.kind}:${parsed.id}`) }
}
