// The Webhook trigger's caller-check params (lib/http/webhook-auth.ts makes the check). Browser-safe: the designer
// builds the node's form from these schemas, and checks the allowlist's ranges as they are typed.
import ipaddr from 'ipaddr.js'
import { z } from 'zod'
import { labelledEnum } from '../params'

export const WEBHOOK_AUTH_TYPES = ['none', 'header', 'hmac', 'basic'] as const

/** A CIDR range or a single address, IPv4 or IPv6. */
export const cidrSchema = z
  .string()
  .trim()
  .refine((v) => parseRange(v) !== null, 'must be an IP address or a CIDR range such as 203.0.113.0/24 or 2001:db8::/32')

/** The Webhook trigger's params for its caller check (spread into webhookTriggerParams). */
export const webhookAuthParams = {
  auth: z
    .enum(WEBHOOK_AUTH_TYPES).meta({ optionLabels: { none: 'None (anyone with the URL)', header: 'Secret header', hmac: 'HMAC signature', basic: 'Basic auth' } })
    .default('none')
    .describe('none: anyone with the URL. header: a header must carry a secret. hmac: a signature of the body. basic: HTTP basic auth'),
  credential: z
    .string()
    .optional()
    .describe('header: an "API key (header)" credential (its header name and value); hmac: an "HMAC secret"; basic: a "Basic auth" credential')
    .meta({ ui: 'credential' }),
  signatureHeader: z.string().trim().toLowerCase().default('x-hub-signature-256').describe('hmac: the header carrying the signature'),
  signatureAlgorithm: labelledEnum({ sha256: 'SHA-256', sha1: 'SHA-1' }).default('sha256').describe('hmac: the hash'),
  signaturePrefix: z.string().default('sha256=').describe('hmac: text before the signature in its header ("sha256=" for GitHub; empty for none)'),
  signatureEncoding: labelledEnum({ hex: 'Hex', base64: 'Base64' }).default('hex').describe('hmac: how the signature is written'),
  timestampHeader: z
    .string()
    .trim()
    .toLowerCase()
    .default('')
    .describe('hmac: a header with the request time (Unix seconds). Set: the signature covers "<timestamp>.<body>" and a request outside the window is refused'),
  toleranceSeconds: z.coerce.number().int().min(1).max(86_400).default(300).describe('hmac with a timestamp: how far the timestamp may be from now'),
  ipAllowlist: z.array(cidrSchema).max(500).default([]).describe('Only these addresses or CIDR ranges may call (empty: any). Behind a proxy set AUTERITY_TRUST_PROXY'),
}

export type Range = [ipaddr.IPv4 | ipaddr.IPv6, number]

export function parseRange(value: string): Range | null {
  try {
    if (value.includes('/')) return ipaddr.parseCIDR(value)
    const addr = ipaddr.parse(value)
    return [addr, addr.kind() === 'ipv4' ? 32 : 128]
  } catch {
    return null
  }
}

