import { z } from 'zod'
import { labelledEnum } from '../params'
import type { NodeType } from '../define'
import { webhookAuthParams } from './auth-params'

export const WEBHOOK_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const

/**
 * Segments of letters, digits, `-`, `_`, `.`, `~` separated by single slashes: `orders/new`. Empty means
 * "let the server choose" (it uses `<workflowId>/<nodeId>`).
 */
export const webhookPathSchema = z
  .string()
  .trim()
  .transform((p) => p.replace(/^\/+|\/+$/g, '').replace(/\/{2,}/g, '/'))
  .pipe(
    z
      .string()
      .max(200)
      .regex(/^([A-Za-z0-9_~.-]+(\/[A-Za-z0-9_~.-]+)*)?$/, 'Use letters, digits, "-", "_", "." and "~" in segments separated by "/"')
      .refine((p) => !p.split('/').some((s) => s === '.' || s === '..'), 'Path segments cannot be "." or ".."'),
  )
  .default('')

export const webhookTriggerParams = z.object({
  path: webhookPathSchema.describe('URL path after /api/webhooks/, e.g. "orders/new". Empty: the server uses <workflowId>/<nodeId>'),
  method: z.enum(WEBHOOK_METHODS).meta({ optionLabels: { GET: 'GET', POST: 'POST', PUT: 'PUT', PATCH: 'PATCH', DELETE: 'DELETE' } }).default('POST').describe('HTTP method the webhook accepts'),
  responseMode: labelledEnum({ onReceived: 'Immediately (202 with the execution id)', lastNode: 'When the workflow answers (Respond to webhook)' })
    .default('onReceived')
    .describe('Immediately: answer 202 with the execution id at once. When the workflow answers: wait, and answer with what a Respond to webhook node sends'),
  timeoutMs: z.coerce.number().int().min(1000).max(300_000).default(30_000).describe('responseMode lastNode: how long the caller waits for the answer'),
  keepAuthorizationHeader: z
    .boolean()
    .default(false)
    .describe("Record the caller's Authorization header in headers (to check a bearer token in the workflow). Off: it is dropped, like the studio's sign-in cookies"),
  ...webhookAuthParams,
})
export type WebhookTriggerParams = z.infer<typeof webhookTriggerParams>

/** The item a webhook run starts with. */
export interface WebhookItem {
  body: unknown
  headers: Record<string, string>
  query: Record<string, string | string[]>
  method: string
  path: string
  [key: string]: unknown
}

export const webhookTrigger: NodeType<WebhookTriggerParams> = {
  type: 'webhook-trigger',
  version: 1,
  label: 'Webhook',
  description: 'Starts the workflow when an HTTP request arrives at /api/webhooks/<path>. Outputs { body, headers, query, method, path }.',
  icon: 'Webhook',
  category: 'trigger',
  docs: {
    description: [
      'Starts the workflow when an HTTP request arrives at `/api/webhooks/<path>`. With response mode "When the workflow answers" (`lastNode`) the caller waits for a Respond to webhook node; otherwise it gets 202 with the execution id (`{ executionId }`) at once.',
      '',
      '`path` is made of segments of letters, digits, `-`, `_`, `.`, `~` separated by `/`, e.g. `orders/new` (no `.` or `..`',
      'segments; leading, trailing and doubled slashes are dropped). Paths are unique across the instance.',
      '',
      'Output item:',
      '',
      '```json',
      '{ "body": { "order": 7 }, "headers": { "content-type": "application/json" }, "query": { "debug": "1" }, "method": "POST", "path": "orders/new" }',
      '```',
      '',
      '`headers` are the request\'s headers (lower-case names) without what would let anyone who can read the run act as',
      'the caller: a browser that opens a webhook on the studio\'s own host sends its studio cookies along, and run data',
      'is visible to every member of the workflow\'s workspace. Always dropped: the studio\'s sign-in cookies from `cookie`',
      '(every `next-auth.*` cookie, with or without the `__Secure-`/`__Host-` prefix and the `.0`, `.1` chunk suffix; other',
      'cookies stay), the session cookies of common sign-in proxies (`_oauth2_proxy*`, `CF_Authorization`,',
      '`AWSELBAuthSessionCookie*`), `proxy-authorization` (meant for a proxy, not the workflow) and the tokens such proxies',
      'add (`x-forwarded-access-token`, `x-auth-request-*`, `x-amzn-oidc-*`, `x-ms-token-*`, `cf-access-jwt-assertion`,',
      '`x-goog-iap-jwt-assertion`). `authorization` is dropped unless `keepAuthorizationHeader` is on.',
      '',
      '**Bodies.** JSON (`application/json`, `*+json`) is parsed; `application/x-www-form-urlencoded` becomes an object;',
      'anything else is text. A `multipart/form-data` body (an HTML form with files, `curl -F`) is read part by part: each',
      'field becomes `body.<name>` and each file is streamed into the file store (see docs/files.md) and becomes',
      '`body.<name>` = a file reference `{ "$file": "f_…", "name", "mimeType", "size", "sha256" }` that later steps read',
      'the file through. A name sent more than once (fields or files) becomes an array in the order sent. A file\'s type is',
      'the one its part declares, or guessed from its name when the part says `application/octet-stream` or nothing.',
      '',
      'Limits: JSON, form and text bodies, and a multipart body\'s fields together, up to `AUTERITY_WEBHOOK_BODY_LIMIT`',
      '(default 16 MB); a whole multipart request up to `AUTERITY_WEBHOOK_UPLOAD_LIMIT` (default `AUTERITY_MAX_FILE_BYTES`,',
      '2 GB) and each file up to `AUTERITY_MAX_FILE_BYTES`; at most 100 files and 1000 parts. Over a limit the answer is',
      '413, a malformed multipart body (no boundary, cut off, a broken part header) is a 400 naming the problem, and the',
      'files of a refused request, or of a run that could not start, are deleted at once.',
      '',
      '**Who may call.** `auth` none (default: anyone with the URL); `header`: an *API key (header)* credential, whose',
      'header must carry its value; `basic`: a *Basic auth* credential; `hmac`: an *HMAC secret* credential, and the',
      '`signatureHeader` must hold `signaturePrefix` + the HMAC (`signatureAlgorithm`, hex or base64) of the raw body, as',
      'GitHub sends `X-Hub-Signature-256: sha256=…`. With `timestampHeader` set the signature covers `<timestamp>.<body>`',
      'and a timestamp more than `toleranceSeconds` from now is refused, so a captured request cannot be replayed later.',
      '`ipAllowlist`: addresses or CIDR ranges (IPv4, IPv6; an IPv4-mapped IPv6 caller counts as its IPv4 address); behind',
      'a proxy set `AUTERITY_TRUST_PROXY=1` so the last `X-Forwarded-For` entry is used. Secrets are compared in constant',
      'time. A refused call gets 401 (credentials) or 403 (address) with a short reason, and no run starts.',
    ].join('\n'),
    examples: [
      {
        title: 'POST /api/webhooks/orders/new with a JSON body',
        params: { path: 'orders/new' },
        output: { main: [{ body: { order: 7 }, headers: { 'content-type': 'application/json' }, query: {}, method: 'POST', path: 'orders/new' }] },
      },
      {
        title: 'POST /api/webhooks/invoices with multipart/form-data (curl -F note=paid -F invoice=@march.pdf)',
        params: { path: 'invoices' },
        output: {
          main: [
            {
              body: {
                note: 'paid',
                invoice: { $file: 'f_Q2xk3mVb8JwYp1sRtZ0aNcHu', name: 'march.pdf', mimeType: 'application/pdf', size: 48213, sha256: '9f2c…' },
              },
              headers: { 'content-type': 'multipart/form-data; boundary=------------------------d74496d66958873e' },
              query: {},
              method: 'POST',
              path: 'invoices',
            },
          ],
        },
      },
    ],
  },
  trigger: { kind: 'webhook' },
  outputSample: { item: { body: {}, headers: { 'content-type': 'application/json' }, query: {}, method: 'POST', path: 'orders/new' } },
  params: webhookTriggerParams,
  credential: { param: 'credential', kinds: ['apiKey', 'cryptoSecret', 'basicAuth'], optional: true },
  inputs: [],
  outputs: [{ name: 'main' }],
  load: () => import('./execute'),
}
