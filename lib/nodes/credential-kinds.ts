// The one explicit list of credential kinds. Adding a kind = its definition (next to the node that brings it)
// + one line here. Browser-safe: the settings page builds its form from these schemas.
import { anthropic, openai, openaiCompatible } from './llm-chat/credentials'
import { apiKey, basicAuth, bearer, customHeaders, oauth2AuthorizationCode, oauth2ClientCredentials } from './http-request/credentials'
import { cryptoKey, cryptoSecret } from './crypto/credentials'
import { redis } from './redis/credentials'
import { smtp } from './send-email/credentials'
import { postgres } from './postgres/credentials'
import { mysql } from './mysql/credentials'
import { twilio } from './twilio/credentials'
import { whatsapp } from './whatsapp/credentials'
import { rabbitmq } from './rabbitmq/credentials'
import { nats } from './nats/credentials'
import { mqtt } from './mqtt/credentials'

const kinds = [apiKey, bearer, basicAuth, customHeaders, oauth2ClientCredentials, oauth2AuthorizationCode, openai, anthropic, openaiCompatible, twilio, whatsapp, cryptoSecret, cryptoKey, redis, smtp, postgres, mysql,
  rabbitmq, nats, mqtt,
] as const

export type CredentialKind = (typeof kinds)[number]['name']

export const credentialKinds = Object.fromEntries(kinds.map((k) => [k.name, k])) as { [K in (typeof kinds)[number] as K['name']]: K }

export const credentialKindNames: CredentialKind[] = kinds.map((k) => k.name)

export function isCredentialKind(value: string): value is CredentialKind {
  return Object.hasOwn(credentialKinds, value)
}
