// Through the real studio server (server.ts: the request router, the webhook listener, Next): spellings of an API
// path that a middleware-based check might miss (upper case, doubled or dotted slashes, percent-encoding) and the
// x-middleware-subrequest header of CVE-2025-29927 reach no handler's data without a caller: every handler checks its
// own caller, and there is no middleware to skip. Raw requests over node:http, so the path is sent as written.
import { request as httpRequest } from 'node:http'
import { expect, test } from '@playwright/test'

function raw(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; location?: string }> {
  const base = new URL(process.env.E2E_BASE_URL!)
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: base.hostname, port: base.port, path, method: 'GET', headers }, (res) => {
      let body = ''
      res.on('data', (c) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, location: res.headers.location }))
    })
    req.on('error', reject)
    req.end()
  })
}

const BYPASS = { 'x-middleware-subrequest': 'middleware:middleware:middleware:middleware:middleware' }

test('odd spellings of API paths and x-middleware-subrequest reach no data without a caller', async () => {
  expect((await raw('/api/workflows')).status).toBe(401)
  const spellings = ['/api/workflows', '/API/workflows', '/Api/Workflows', '//api/workflows', '/api//workflows', '/api/workflows/', '/api/./workflows', '/api/%77orkflows', '/api/workflows%2f', '/api/executions/../workflows']
  for (const path of spellings) {
    for (const headers of [{}, BYPASS]) {
      const res = await raw(path, headers)
      expect(res.status, `${path} ${JSON.stringify(headers)}`).not.toBeLessThan(300)
      expect([301, 307, 308, 400, 401, 404], `${path} answered ${res.status}`).toContain(res.status)
      expect(res.body).not.toContain('"workflows"')
    }
  }
  // A studio page with the header and no session still sends the visitor to sign in.
  const page = await raw('/workflows', BYPASS)
  expect(page.status).toBeGreaterThanOrEqual(300)
  expect(page.status).toBeLessThan(400)
  expect(page.location ?? '').toMatch(/sign-?in|login/i)
})
