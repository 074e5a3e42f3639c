// The RabbitMQ server the RabbitMQ nodes talk to: a URL (amqp:// or amqps://, which may carry the login and the
// vhost) or the fields one by one. Credential data is text (the settings form has text fields only).
import { z } from 'zod'
import { defineCredentialKind } from '../define'

export const rabbitmqCredentialSchema = z
  .object({
    url: z
      .string()
      .trim()
      .regex(/^(amqps?:\/\/.+)?$/, 'URL must start with amqp:// or amqps://')
      .optional()
      .meta({ secret: true, label: 'URL (amqp://user:password@host:5672/vhost or amqps://…; empty: the fields below)' }),
    host: z.string().trim().optional().meta({ label: 'Host' }),
    port: z.string().trim().regex(/^(\d{1,5})?$/, 'Port must be a whole number').optional().meta({ label: 'Port (default 5672, 5671 with TLS)' }),
    username: z.string().trim().optional().meta({ label: 'Username (default guest)' }),
    password: z.string().optional().meta({ secret: true, label: 'Password' }),
    vhost: z.string().optional().meta({ label: 'Virtual host (default /)' }),
    tls: z.enum(['off', 'on']).default('off').meta({ label: 'TLS ("on" or "off"; an amqps:// URL turns it on)' }),
  })
  .refine((c) => Boolean(c.url || c.host), { message: 'Give a URL or a host', path: ['host'] })

export const rabbitmq = defineCredentialKind({ name: 'rabbitmq', label: 'RabbitMQ', schema: rabbitmqCredentialSchema })
