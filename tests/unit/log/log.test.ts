// lib/log: JSON lines with their bindings, the level chosen from LOG_LEVEL / NODE_ENV, and secrets redacted wherever
// they sit in what is logged: the lines written for an object full of them hold none of the values.
import { Writable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { createLogger, redactSecrets, runLogger, REDACTED } from '../../../lib/log'
import { readLogLevel } from '../../../lib/env'

function memory() {
  const lines: string[] = []
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean))
      done()
    },
  })
  return { lines, destination }
}

const SECRETS = {
  authorization: 'Bearer zz-AUTH-91b2c3',
  cookie: 'next-auth.session-token=zz-COOKIE-4d5e6f',
  password: 'zz-PASSWORD-7a8b9c',
  token: 'zz-TOKEN-0d1e2f',
  apiKey: 'zz-APIKEY-3a4b5c',
  secret: 'zz-SECRET-6d7e8f',
  credentialData: 'zz-CREDDATA-9a0b1c',
  xApiKey: 'zz-XAPIKEY-2d3e4f',
  deep: 'zz-DEEP-5a6b7c',
}

describe('redaction', () => {
  it('writes none of the secret values of a logged object, at any depth, in arrays, in bindings', () => {
    const { lines, destination } = memory()
    const logger = createLogger({ level: 'debug', destination })
    logger.child({ tenantId: 't1', token: SECRETS.token }).info(
      {
        req: { headers: { authorization: SECRETS.authorization, cookie: SECRETS.cookie, 'x-api-key': SECRETS.xApiKey, accept: 'application/json' } },
        user: { email: 'a@example.test', password: SECRETS.password },
        Authorization: SECRETS.authorization,
        list: [{ apiKey: SECRETS.apiKey }, { nested: { clientSecret: SECRETS.secret } }],
        credential: { id: 'cred-1', kind: 'openai', data: { apiKey: SECRETS.credentialData, baseUrl: SECRETS.credentialData } },
        a: { b: { c: { d: { e: { secret: SECRETS.deep } } } } },
      },
      'a request with secrets',
    )
    expect(lines).toHaveLength(1)
    for (const value of Object.values(SECRETS)) expect(lines[0]).not.toContain(value)
    const entry = JSON.parse(lines[0])
    // What is not a secret stays, so the line is still useful.
    expect(entry).toMatchObject({
      level: 'info',
      msg: 'a request with secrets',
      tenantId: 't1',
      token: REDACTED,
      req: { headers: { accept: 'application/json', authorization: REDACTED } },
      user: { email: 'a@example.test', password: REDACTED },
      credential: { id: 'cred-1', kind: 'openai', data: REDACTED },
    })
    expect(typeof entry.time).toBe('string')
  })

  it('returns objects without secrets as they are, and does not change the caller’s object', () => {
    const plain = { a: 1, b: { c: [1, 2] } }
    expect(redactSecrets(plain)).toBe(plain)
    const holder = { headers: { authorization: 'x' } }
    expect(redactSecrets(holder)).toEqual({ headers: { authorization: REDACTED } })
    expect(holder.headers.authorization).toBe('x')
  })

  it('keeps an error’s message and stack under err', () => {
    const { lines, destination } = memory()
    createLogger({ level: 'info', destination }).error({ err: new Error('boom') }, 'failed')
    expect(JSON.parse(lines[0]).err).toMatchObject({ type: 'Error', message: 'boom', stack: expect.stringContaining('Error: boom') })
  })

  it('binds a run’s ids to every line of its logger', () => {
    const { lines, destination } = memory()
    const parent = createLogger({ level: 'info', destination })
    runLogger({ tenantId: 't', workflowId: 'w', executionId: 'e' }, parent).child({ nodeId: 'n' }).warn('step slow')
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'warn', tenantId: 't', workflowId: 'w', executionId: 'e', nodeId: 'n', msg: 'step slow' })
  })
})

describe('level', () => {
  // NODE_ENV is typed read-only (Next's types); the tests set it as the launcher would.
  const vars = process.env as Record<string, string | undefined>
  const saved = { LOG_LEVEL: vars.LOG_LEVEL, NODE_ENV: vars.NODE_ENV }
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete vars[k]
      else vars[k] = v
    }
  })

  it.each([
    [undefined, 'production', 'info'],
    [undefined, 'development', 'debug'],
    [undefined, 'test', 'warn'],
    [undefined, undefined, 'info'],
    ['ERROR', 'development', 'error'],
    ['silent', 'production', 'silent'],
  ])('LOG_LEVEL=%s NODE_ENV=%s gives %s', (level, mode, expected) => {
    if (level === undefined) delete vars.LOG_LEVEL
    else vars.LOG_LEVEL = level
    if (mode === undefined) delete vars.NODE_ENV
    else vars.NODE_ENV = mode
    expect(readLogLevel()).toBe(expected)
  })

  it('refuses an unknown level, naming the variable', () => {
    vars.LOG_LEVEL = 'verbose'
    expect(() => readLogLevel()).toThrow(/LOG_LEVEL must be one of/)
  })

  it('drops lines below the level', () => {
    const { lines, destination } = memory()
    const logger = createLogger({ level: 'warn', destination })
    logger.info('quiet')
    logger.debug('quieter')
    logger.warn('loud')
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['loud'])
  })
})
