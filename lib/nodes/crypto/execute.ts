import { createHash, createHmac, randomBytes, randomUUID, sign, verify, type KeyObject } from 'node:crypto'
import { NodeError, type CredentialData, type Item, type NodeExecutor } from '../../engine/types'
import { getPath, parsePath, setPath } from '../paths'
import { DEFAULT_OUTPUT, type CryptoParams } from './definition'
import { DIGEST, hmacSecret, signingKey, verifyingKey } from './keys'

const ENCODED = { hex: /^(?:[0-9a-f]{2})*$/i, base64: /^[A-Za-z0-9+/]*={0,2}$/, base64url: /^[A-Za-z0-9_-]*={0,2}$/ }

/** The bytes of the item's value: text as UTF-8, anything else as its JSON text. */
function valueBytes(p: CryptoParams, item: Item, index: number): Buffer {
  const fromValue = p.source === 'value'
  const value = fromValue ? p.value : getPath(item, p.field, 'field')
  if (value === undefined || value === null) {
    throw new NodeError(`Item ${index}: there is no value in "${fromValue ? 'value' : p.field}" to ${p.operation}`, {
      code: 'MISSING_VALUE',
      field: fromValue ? 'value' : 'field',
      details: { item: index },
    })
  }
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8')
}

/** A signature that is empty or not in `encoding` cannot be valid: verify says false rather than failing the run. */
function checkSignature(p: CryptoParams, data: Buffer, key: KeyObject): boolean {
  const text = p.signature.trim()
  if (!text || !ENCODED[p.encoding].test(text)) return false
  try {
    return verify(DIGEST[p.signatureAlgorithm], data, key, Buffer.from(text, p.encoding))
  } catch {
    return false
  }
}

function run(p: CryptoParams, item: Item, index: number, cred: CredentialData | undefined, keys: Map<string, KeyObject>): unknown {
  switch (p.operation) {
    case 'uuid':
      return randomUUID()
    case 'randomBytes':
      return randomBytes(p.length).toString(p.encoding)
    case 'hash':
      return createHash(p.algorithm).update(valueBytes(p, item, index)).digest(p.encoding)
    case 'hmac':
      return createHmac(p.algorithm, hmacSecret(cred, p.secret)).update(valueBytes(p, item, index)).digest(p.encoding)
    case 'sign': {
      const key = cachedKey(keys, `sign:${p.signatureAlgorithm}`, () => signingKey(cred, p.signatureAlgorithm))
      return sign(DIGEST[p.signatureAlgorithm], valueBytes(p, item, index), key).toString(p.encoding)
    }
    case 'verify': {
      const key = cachedKey(keys, `verify:${p.signatureAlgorithm}`, () => verifyingKey(cred, p.signatureAlgorithm))
      return checkSignature(p, valueBytes(p, item, index), key)
    }
  }
}

/** Parsing a PEM key costs far more than one signature: once per page and algorithm. */
function cachedKey(keys: Map<string, KeyObject>, id: string, load: () => KeyObject): KeyObject {
  let key = keys.get(id)
  if (!key) keys.set(id, (key = load()))
  return key
}

const NEEDS_CREDENTIAL = new Set<CryptoParams['operation']>(['hmac', 'sign', 'verify'])

export const execute: NodeExecutor<CryptoParams> = async (ctx) => {
  // Checked once per page, before any item: a bad path fails even on an empty input.
  parsePath(ctx.params.field, 'field')
  if (ctx.params.outputField) parsePath(ctx.params.outputField, 'outputField')
  // The credential is read (and decrypted) once per page, and only if an item's operation uses one.
  let credential: Promise<CredentialData | undefined> | undefined
  const loadCredential = () => (credential ??= ctx.credential())
  const keys = new Map<string, KeyObject>()
  const out: Item[] = []
  for (let i = 0; i < ctx.items.length; i++) {
    const p = await ctx.paramsFor(i)
    const cred = NEEDS_CREDENTIAL.has(p.operation) ? await loadCredential() : undefined
    const item = structuredClone(ctx.items[i])
    setPath(item, p.outputField || DEFAULT_OUTPUT[p.operation], run(p, ctx.items[i], ctx.inputOffset + i, cred, keys), 'outputField')
    out.push(item)
  }
  return { main: out }
}
