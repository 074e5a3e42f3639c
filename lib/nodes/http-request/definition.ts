import { z } from 'zod'
import type { NodeType } from '../define'
import { credentialParam, keyValueList, labelledEnum, text } from '../params'

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const

export const httpRequestParams = z.object({
  method: z.enum(HTTP_METHODS).meta({ optionLabels: { GET: 'GET', POST: 'POST', PUT: 'PUT', PATCH: 'PATCH', DELETE: 'DELETE', HEAD: 'HEAD', OPTIONS: 'OPTIONS' } }).default('GET').describe('HTTP method'),
  url: text().pipe(z.string().min(1, 'Enter the URL to call')).describe('Full URL, e.g. https://api.example.com/orders/{{ $json.id }}').meta({ ui: 'expression', format: 'uri' }),
  credential: credentialParam('Credential used to authenticate (API key header, bearer token, basic auth, custom headers or OAuth2)'),
  headers: keyValueList('Request headers'),
  query: keyValueList('Query string parameters (appended to the URL)'),
  bodyType: labelledEnum({ none: 'No body', json: 'JSON', form: 'Form (URL-encoded)', raw: 'Raw text', file: 'File', multipart: 'Multipart form (fields and files)' }).default('none').describe('How the request body is sent: file sends the bytes of a file, multipart sends form fields and files as multipart/form-data'),
  jsonBody: z.unknown().optional().describe('bodyType json: the body (an object, or JSON text)').meta({ ui: 'json' }),
  formBody: keyValueList('bodyType form: fields sent as application/x-www-form-urlencoded'),
  rawBody: text().optional().describe('bodyType raw: the body text').meta({ ui: 'textarea' }),
  contentType: z.string().default('text/plain').describe('bodyType raw: Content-Type header'),
  fileField: z.string().trim().min(1, 'Enter the item field holding the file').default('file').describe('bodyType file: the item field holding the file to send (a dotted path for nested fields)'),
  fileParts: z
    .array(z.object({ name: z.string().min(1, 'Enter the form field name').describe('Form field name'), field: z.string().trim().min(1, 'Enter the item field holding the file').describe('Item field holding the file') }))
    .default([])
    .describe('bodyType multipart: file parts, each a form field name and the item field holding the file (formBody rows are sent as text fields)'),
  responseFormat: labelledEnum({ auto: 'Automatic (from the content type)', json: 'JSON', text: 'Text', file: 'File' }).default('auto').describe('Automatic: JSON when the response says so, text for text, a file otherwise. File: always keep the body as a file (in the item field "file")'),
  timeoutMs: z.coerce.number().int().min(100).max(300_000).default(30_000).describe('Per request, including redirects'),
  followRedirects: z.boolean().default(true).describe('Follow 3xx redirects (each hop is re-checked by the network guard)'),
  maxRedirects: z.coerce.number().int().min(1).max(20).default(5).describe('Redirects followed before giving up'),
  failOnHttpError: z.boolean().default(true).describe('Fail the step on 4xx/5xx answers (5xx and 429 are retryable). Off: output them as items'),
  idempotencyKeyHeader: z
    .string()
    .trim()
    .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]*$/, 'Enter a header name (letters, digits, dashes), or leave it empty')
    .default('')
    .describe('Header that carries the step\'s idempotency key (e.g. Idempotency-Key), the same on every retry and redelivery of the step; empty: not sent'),
  concurrency: z.coerce.number().int().min(1).max(10).default(4).describe('Requests in flight at once (one request per input item)'),
  batchSize: z.coerce.number().int('A whole number').min(0).max(100_000).default(0).describe('Batching: items per batch; after each batch the node pauses for batchIntervalMs (0: no batches, no pauses)'),
  batchIntervalMs: z.coerce.number().int('A whole number').min(0).max(3_600_000).default(1_000).describe('Batching: pause between two batches, in ms (with batchSize above 0)'),
})
export type HttpRequestParams = z.infer<typeof httpRequestParams>

export const httpRequest: NodeType<HttpRequestParams, 'files'> = {
  type: 'http-request',
  version: 1,
  label: 'HTTP request',
  description: 'Calls an HTTP API once per input item and outputs { status, headers, body }.',
  icon: 'Globe',
  category: 'core',
  docs: {
    description: [
      'Sends one request per input item, with that item\'s resolved parameters, through the outbound guard (private and loopback addresses are blocked unless allowed), and outputs one item per request, in input order. 4xx/5xx answers fail the step unless failOnHttpError is off; 5xx and 429 are retried.',
      '',
      'Requests go out a few at a time (`concurrency`); the first failure cancels the others. The input is read page by page (1,000 items), so a million items never sit in memory at once. To stay under an API\'s rate limit, set `batchSize`: the node sends that many items\' requests (still `concurrency` at a time), pauses `batchIntervalMs`, sends the next batch, and so on (batches count across pages: item 0–49, 50–99… with `batchSize` 50). Each output item looks like:',
      '',
      '```json',
      '{ "status": 200, "headers": { "content-type": "application/json" }, "body": { "id": 7 } }',
      '```',
      '',
      'Parameters in detail:',
      '',
      '- `url`: A full `http(s)` URL.',
      '- `bodyType`: `none`, `json` (`jsonBody`: an object or JSON text; sets `Content-Type: application/json`), `form` (`formBody` rows, sent as `application/x-www-form-urlencoded`), `raw` (`rawBody` text with `contentType`, default `text/plain`). A `Content-Type` header you set yourself wins.',
      '- `bodyType` `file`: the file in `fileField` (default `file`, e.g. the output of a webhook upload or of Convert to File) is streamed as the body, with its type as `Content-Type` and its size as `Content-Length`. `multipart`: `multipart/form-data` with the `formBody` rows as text fields and one part per `fileParts` row (form field name → item field holding the file), streamed. A redirect that would send a file body again (307/308) fails the request; call the final URL.',
      '- `responseFormat`: `auto`: JSON when the response says `json`, text for textual types, otherwise the body is stored as a file and the item gets `file` (a file reference: name from `Content-Disposition` or the URL, type, size) instead of `body`. `json`: always parse (fails if the body is not JSON). `text`: always text. `file`: always a file. Files stream into the file store and may be far bigger than a JSON answer (up to `AUTERITY_MAX_FILE_BYTES`); JSON and text answers are read whole, up to 50 MB.',
      '- `followRedirects` / `maxRedirects`: Every hop is re-checked by the [outbound HTTP guard](#outbound-http-guard). A hop to another origin carries only content-negotiation headers (see the guard); credential headers and headers you typed are dropped. With `followRedirects` off, the 3xx answer is the output.',
      '- `failOnHttpError`: On: 4xx fails the step (not retried, except 408), 5xx and 429 fail it as retryable; the error details carry `status`, the start of the body and `retryAfterMs` from a `Retry-After` header. Off: error answers are output as items like any other.',
      '- `idempotencyKeyHeader`: The header carries `<executionId>:<nodeId>:<itemIndex>`, so an API that deduplicates by key sees a repeated request as one.',
      '',
      'Credentials (`credential`; headers from a credential replace headers of the same name typed into the node):',
      '',
      '| kind | fields | sends |',
      '|---|---|---|',
      '| `apiKey` | `headerName`, `value` | `<headerName>: <value>` |',
      '| `bearer` | `token` | `Authorization: Bearer <token>` |',
      '| `basicAuth` | `username`, `password` | `Authorization: Basic …` |',
      '| `customHeaders` | `headers` (JSON object text) | each header |',
      '| `oauth2ClientCredentials` | `tokenUrl`, `clientId`, `clientSecret`, `scope`, `audience`, `resource` | `Authorization: Bearer <access token>`, fetched with the client credentials grant and reused until it expires |',
      '| `oauth2AuthorizationCode` | `authorizeUrl`, `tokenUrl`, `clientId`, `clientSecret`, `scope` | `Authorization: Bearer <access token>` of the account connected in Settings → Credentials (Connect), refreshed when it expires |',
      '',
      'With an OAuth2 credential, a 401 answer makes the node fetch (or refresh) a new token and send the request once more.',
      '',
      'Example — create a contact for each item:',
      '',
      '```json',
      '{ "method": "POST", "url": "https://crm.example.com/contacts", "credential": "cred_123",',
      '  "bodyType": "json", "jsonBody": { "email": "{{ $json.email }}", "source": "studio" } }',
      '```',
    ].join('\n'),
    examples: [
      {
        title: 'Fetch an order per item',
        params: { method: 'GET', url: 'https://api.example.com/orders/{{ $json.id }}' },
        input: [{ id: 7 }],
        output: { main: [{ status: 200, headers: { 'content-type': 'application/json' }, body: { id: 7, total: 12.5 } }] },
      },
    ],
  },
  params: httpRequestParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  credential: { param: 'credential', kinds: ['apiKey', 'bearer', 'basicAuth', 'customHeaders', 'oauth2ClientCredentials', 'oauth2AuthorizationCode'], optional: true },
  sideEffects: true,
  outputSample: { item: { status: 200, headers: { 'content-type': 'application/json' }, body: {} } },
  services: ['files'],
  mode: 'batch',
  load: () => import('./execute'),
}
