import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, verify as nodeVerify } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import type { Item } from '@/lib/engine/types'
import { createHostSandbox } from '@/lib/sandbox/host'
import { numbered, runFlow } from '@/tests/unit/nodes/flow'

const sandbox = createHostSandbox({ concurrency: 2, processes: 1 })
afterAll(() => sandbox.dispose())

const pem = (key: { export(o: object): string | Buffer }, type: 'pkcs8' | 'spki') => String(key.export({ format: 'pem', type }))
const pair = (type: 'rsa' | 'ec' | 'ed25519') => {
  const { privateKey, publicKey } =
    type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : type === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519')
  return { privateKey: pem(privateKey, 'pkcs8'), publicKey: pem(publicKey, 'spki') }
}
const keys = { rsa: pair('rsa'), ec: pair('ec'), ed25519: pair('ed25519') }

// RFC 8032 §7.1, test 1: the Ed25519 key pair and the signature of the empty message.
const rfc8032 = {
  privateKey: pem(createPrivateKey({ key: Buffer.from('302e020100300506032b657004220420' + '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex'), format: 'der', type: 'pkcs8' }), 'pkcs8'),
  publicKey: pem(createPublicKey({ key: Buffer.from('302a300506032b6570032100' + 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'hex'), format: 'der', type: 'spki' }), 'spki'),
  signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
}

const SECRET = 'Jefe'
const credentials = {
  hmacKey: { kind: 'cryptoSecret', data: { secret: SECRET } },
  rfc8032: { kind: 'cryptoKey', data: rfc8032 },
  rfc8032Public: { kind: 'cryptoKey', data: { publicKey: rfc8032.publicKey } },
  rsa: { kind: 'cryptoKey', data: keys.rsa },
  ec: { kind: 'cryptoKey', data: keys.ec },
  ed25519PrivateOnly: { kind: 'cryptoKey', data: { privateKey: keys.ed25519.privateKey } },
  notPem: { kind: 'cryptoKey', data: { privateKey: '-----BEGIN PRIVATE KEY-----\nnot a key at all\n-----END PRIVATE KEY-----' } },
}

async function crypto(params: Record<string, unknown>, input: Item[], pageSize?: number) {
  const flow = await runFlow([{ id: 'c', type: 'crypto', params }], input, { sandbox, credentials, pageSize })
  return { error: flow.result.error, items: await flow.output('c'), flow }
}

describe('crypto node', () => {
  // FIPS 180-2 / FIPS 202 / RFC 1321 digests of "abc".
  it.each([
    ['md5', 'hex', '900150983cd24fb0d6963f7d28e17f72'],
    ['sha1', 'hex', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ['sha256', 'hex', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['sha256', 'base64', 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='],
    ['sha384', 'hex', 'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7'],
    ['sha512', 'hex', 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f'],
    ['sha3-256', 'hex', '3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532'],
  ])('hashes "abc" with %s in %s', async (algorithm, encoding, expected) => {
    const { items } = await crypto({ algorithm, encoding }, [{ value: 'abc', other: 1 }])
    expect(items).toEqual([{ value: 'abc', other: 1, hash: expected }])
  })

  it('hashes a value from an expression, objects as their JSON text', async () => {
    const { items } = await crypto({ source: 'value', value: '{{ $json.order }}', outputField: 'meta.digest' }, [{ order: { id: 1, total: 9.5 } }])
    expect(items[0].meta).toEqual({ digest: createHash('sha256').update('{"id":1,"total":9.5}').digest('hex') })
  })

  // RFC 4231 test case 2 (SHA-2) and RFC 2202 test case 2 (MD5, SHA-1): key "Jefe".
  it.each([
    ['md5', '750c783e6ab0b503eaa86e310a5db738'],
    ['sha1', 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79'],
    ['sha256', '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'],
    ['sha384', 'af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649'],
    ['sha512', '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737'],
  ])('computes HMAC-%s with the secret of a credential', async (algorithm, expected) => {
    const { items } = await crypto({ operation: 'hmac', algorithm, credential: 'hmacKey' }, [{ value: 'what do ya want for nothing?' }])
    expect(items[0].hmac).toBe(expected)
  })

  it('computes an HMAC with the secret param when there is no credential', async () => {
    const { items } = await crypto({ operation: 'hmac', secret: SECRET, encoding: 'base64url' }, [{ value: 'what do ya want for nothing?' }])
    expect(items[0].hmac).toBe(Buffer.from('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843', 'hex').toString('base64url'))
  })

  it('signs the RFC 8032 test message with Ed25519 and verifies its signature', async () => {
    const signed = await crypto({ operation: 'sign', signatureAlgorithm: 'Ed25519', credential: 'rfc8032' }, [{ value: '' }])
    expect(signed.items[0].signature).toBe(rfc8032.signature)
    const checked = await crypto({ operation: 'verify', signatureAlgorithm: 'Ed25519', credential: 'rfc8032Public', signature: '{{ $json.sig }}' }, [
      { value: '', sig: rfc8032.signature },
      { value: 'x', sig: rfc8032.signature },
    ])
    expect(checked.items.map((i) => i.valid)).toEqual([true, false])
  })

  it.each([
    ['RSA-SHA256', 'rsa', 'sha256'],
    ['ECDSA-SHA256', 'ec', 'sha256'],
  ] as const)('signs with %s so that node verifies it, and verify spots a changed message', async (signatureAlgorithm, cred, digest) => {
    const signed = await crypto({ operation: 'sign', signatureAlgorithm, credential: cred, encoding: 'base64' }, [{ value: 'pay 10' }])
    const signature = signed.items[0].signature as string
    expect(nodeVerify(digest, Buffer.from('pay 10'), keys[cred].publicKey, Buffer.from(signature, 'base64'))).toBe(true)
    const checked = await crypto({ operation: 'verify', signatureAlgorithm, credential: cred, encoding: 'base64', signature }, [{ value: 'pay 10' }, { value: 'pay 1000' }])
    expect(checked.items.map((i) => i.valid)).toEqual([true, false])
  })

  it('verifies with the public key derived from a stored private key', async () => {
    const signed = await crypto({ operation: 'sign', signatureAlgorithm: 'Ed25519', credential: 'ed25519PrivateOnly' }, [{ value: 'm' }])
    const checked = await crypto({ operation: 'verify', signatureAlgorithm: 'Ed25519', credential: 'ed25519PrivateOnly', signature: signed.items[0].signature }, [{ value: 'm' }])
    expect(checked.items[0].valid).toBe(true)
  })

  it.each([
    ['empty', ''],
    ['not hex', 'zz' + rfc8032.signature.slice(2)],
    ['too short', rfc8032.signature.slice(0, 20)],
  ])('verify writes false for a signature that is %s', async (_name, signature) => {
    const { items, error } = await crypto({ operation: 'verify', signatureAlgorithm: 'Ed25519', credential: 'rfc8032', signature }, [{ value: '' }])
    expect(error).toBeUndefined()
    expect(items[0].valid).toBe(false)
  })

  it.each([
    ['a key of another type', { operation: 'sign', signatureAlgorithm: 'RSA-SHA256', credential: 'ec' }, /is ec; RSA-SHA256 needs an rsa key/],
    ['a public key for the wrong algorithm', { operation: 'verify', signatureAlgorithm: 'ECDSA-SHA256', credential: 'rfc8032Public', signature: 'ab' }, /public key is ed25519/],
    ['a key that is not PEM', { operation: 'sign', signatureAlgorithm: 'Ed25519', credential: 'notPem' }, /not a PEM key/],
    ['no private key to sign with', { operation: 'sign', signatureAlgorithm: 'Ed25519', credential: 'rfc8032Public' }, /needs a private key/],
    ['a credential of another kind for hmac', { operation: 'hmac', credential: 'rfc8032' }, /HMAC secret credential, not a cryptoKey/],
  ])('fails naming the credential on %s', async (_name, params, message) => {
    const { error } = await crypto(params, [{ value: 'm' }])
    expect(error).toMatchObject({ code: 'INVALID_KEY', field: 'credential', retryable: false })
    expect(error?.message).toMatch(message)
    expect(error?.message).not.toContain('not a key at all')
  })

  it.each([
    ['algorithm', { algorithm: 'sha0' }, 'INVALID_PARAMS'],
    ['signatureAlgorithm', { operation: 'sign', signatureAlgorithm: 'DSA' }, 'INVALID_PARAMS'],
    ['credential', { operation: 'sign' }, 'CREDENTIAL_MISSING'],
    ['secret', { operation: 'hmac' }, 'INVALID_PARAM'],
    ['length', { operation: 'randomBytes', length: 0 }, 'INVALID_PARAMS'],
    ['outputField', { outputField: 'x.constructor' }, 'RESERVED_KEY'],
  ])('fails naming %s when it is missing or unusable', async (field, params, code) => {
    const { error } = await crypto(params, [{ value: 'm' }])
    expect(error).toMatchObject({ code, field })
  })

  it('fails naming the field and the item when there is no value, without quoting the secret', async () => {
    const { error } = await crypto({ operation: 'hmac', credential: 'hmacKey', field: 'body' }, [{ body: 'a' }, { body: 'b' }, { nobody: 1 }], 2)
    expect(error).toMatchObject({ code: 'MISSING_VALUE', field: 'field' })
    expect(error?.message).toMatch(/^Item 2: /)
    expect(JSON.stringify(error)).not.toContain(SECRET)
  })

  it('fails naming value when its expression finds nothing, rather than hashing the field', async () => {
    const { error } = await crypto({ source: 'value', value: '{{ $json.body }}' }, [{ value: 'abc' }])
    expect(error).toMatchObject({ code: 'MISSING_VALUE', field: 'value' })
    expect(error?.message).toMatch(/^Item 0: /)
  })

  it('makes random bytes of the asked length, different each time', async () => {
    const { items } = await crypto({ operation: 'randomBytes', length: 16 }, [{}, {}])
    expect(items[0].random).toMatch(/^[0-9a-f]{32}$/)
    expect(items[1].random).not.toBe(items[0].random)
    const b64 = await crypto({ operation: 'randomBytes', length: 30, encoding: 'base64' }, [{}])
    expect(Buffer.from(b64.items[0].random as string, 'base64')).toHaveLength(30)
  })

  it('makes a distinct UUID v4 per item, page by page', async () => {
    const flow = await runFlow([{ id: 'c', type: 'crypto', params: { operation: 'uuid', outputField: 'id' } }], numbered(2500), { pageSize: 1000 })
    const ids = (await flow.output('c')).map((i) => i.id as string)
    expect(ids).toHaveLength(2500)
    expect(new Set(ids).size).toBe(2500)
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(flow.largestPage('crypto')).toBe(1000)
  })
})
