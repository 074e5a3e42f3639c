import { describe, expect, it } from 'vitest'
import { KIND_OPTIONS, kindFields, kindLabel } from '@/app/(studio)/settings/credentials/kind-fields'

describe('credential form fields from the kind schemas', () => {
  it.each([
    ['bearer', [{ key: 'token', label: 'Token', secret: true, required: true }]],
    [
      'apiKey',
      [
        { key: 'headerName', label: 'Header name', secret: false, required: false, defaultValue: 'X-API-Key' },
        { key: 'value', label: 'Key', secret: true, required: true },
      ],
    ],
    [
      'twilio',
      [
        { key: 'accountSid', label: 'Account SID', secret: false, required: true },
        { key: 'authToken', label: 'Auth token', secret: true, required: true },
        { key: 'baseUrl', label: 'API base URL (empty: https://api.twilio.com)', secret: false, required: false },
      ],
    ],
  ] as const)('%s', (kind, expected) => {
    expect(kindFields(kind)).toEqual(expected.map((f) => expect.objectContaining(f)))
  })

  it('shows PEM keys multi-line, only the private one masked, neither required alone', () => {
    expect(kindFields('cryptoKey')).toEqual([
      expect.objectContaining({ key: 'privateKey', multiline: true, secret: true, required: false }),
      expect.objectContaining({ key: 'publicKey', multiline: true, secret: false, required: false }),
    ])
  })

  it('marks JSON fields multi-line and lists every kind with its label', () => {
    expect(kindFields('customHeaders')[0]).toMatchObject({ key: 'headers', multiline: true, secret: true })
    expect(KIND_OPTIONS).toContainEqual({ value: 'openai', label: 'OpenAI' })
    expect(kindLabel('basicAuth')).toBe('Basic auth')
    expect(kindLabel('unknown-kind')).toBe('unknown-kind')
  })
})
