// The Connect flow's dependencies in the web process (its Redis, the studio's callback URL).
import { env } from '../../env'
import { appServices } from '../../services/app'
import type { FlowDeps } from './flow'
import { oauthServices } from './index'

export function flowDeps(): FlowDeps {
  const { tokens, fetch } = oauthServices()
  return { redis: appServices().redis, prefix: env().queuePrefix, tokens, fetch, redirectUri: `${env().publicUrl.replace(/\/+$/, '')}/api/oauth/callback` }
}
