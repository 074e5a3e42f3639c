// The messaging host service as processes build it from lib/env: the worker runtime and "test this step".
import crypto from 'node:crypto'
import type { Redis } from 'ioredis'
import type { PrismaClient } from '../db/generated/client'
import { env } from '../env'
import { createMessagingHost } from './store'
import type { MessagingHost } from './types'

let fallbackSecret: string | undefined

/** Signs media URLs: derived from the master key, so every process of an installation agrees on it. */
export function messagingSigningSecret(): string {
  const key = env().encryptionKey ?? env().nextAuthSecret
  if (key) return crypto.createHmac('sha256', key).update('auterity messaging media urls').digest('base64url')
  fallbackSecret ??= crypto.randomBytes(32).toString('base64url')
  return fallbackSecret
}

export function messagingHostFromEnv(prisma: PrismaClient, redis: Redis, opts: { keyPrefix?: string } = {}): MessagingHost {
  return createMessagingHost({ prisma, redis, publicUrl: env().publicUrl, signingSecret: messagingSigningSecret(), keyPrefix: opts.keyPrefix })
}
