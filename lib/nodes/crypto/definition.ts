import { z } from 'zod'
import type { NodeType } from '../define'
import { credentialParam, labelledEnum } from '../params'

export const CRYPTO_OPERATIONS = ['hash', 'hmac', 'sign', 'verify', 'randomBytes', 'uuid'] as const
export type CryptoOperation = (typeof CRYPTO_OPERATIONS)[number]
export const HASH_ALGORITHMS = ['md5', 'sha1', 'sha256', 'sha384', 'sha512', 'sha3-256'] as const
export const SIGNATURE_ALGORITHMS = ['RSA-SHA256', 'ECDSA-SHA256', 'Ed25519'] as const
export const ENCODINGS = ['hex', 'base64', 'base64url'] as const

/** Where each operation writes when outputField is empty. */
export const DEFAULT_OUTPUT: Record<CryptoOperation, string> = {
  hash: 'hash',
  hmac: 'hmac',
  sign: 'signature',
  verify: 'valid',
  randomBytes: 'random',
  uuid: 'uuid',
}

export const cryptoParams = z.object({
  operation: z.enum(CRYPTO_OPERATIONS).meta({ optionLabels: { hash: 'Hash', hmac: 'HMAC', sign: 'Sign', verify: 'Verify a signature', randomBytes: 'Random bytes', uuid: 'UUID (v4)' } }).default('hash').describe('hash, hmac, sign, verify (writes true or false), randomBytes or uuid (v4)'),
  source: labelledEnum({ field: 'A field of the item', value: 'A value (expression)' }).default('field').describe('Where the value to hash, authenticate, sign or verify is: in the item\'s field, or in value (an expression)'),
  field: z.string().trim().min(1, 'Name the field holding the value').default('value').describe('source field: the field holding the value, e.g. "body" or "order.id"'),
  value: z.unknown().optional().describe('source value: the value, usually an expression such as {{ $json.body }}. Text is read as UTF-8, other values as their JSON text').meta({ ui: 'expression' }),
  algorithm: z.enum(HASH_ALGORITHMS).meta({ optionLabels: { md5: 'MD5', sha1: 'SHA-1', sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512', 'sha3-256': 'SHA3-256' } }).default('sha256').describe('hash/hmac: md5, sha1, sha256, sha384, sha512 or sha3-256'),
  signatureAlgorithm: z.enum(SIGNATURE_ALGORITHMS).meta({ optionLabels: { 'RSA-SHA256': 'RSA-SHA256 (PKCS#1 v1.5)', 'ECDSA-SHA256': 'ECDSA-SHA256', Ed25519: 'Ed25519' } }).default('RSA-SHA256').describe('sign/verify: RSA-SHA256 (PKCS#1 v1.5), ECDSA-SHA256 (DER signature) or Ed25519; the key must be of that type'),
  encoding: z.enum(ENCODINGS).meta({ optionLabels: { hex: 'Hex', base64: 'Base64', base64url: 'Base64 (URL-safe)' } }).default('hex').describe('How digests, signatures and random bytes are written (and how verify reads the signature): hex, base64 or base64url'),
  credential: credentialParam('hmac: an HMAC secret credential; sign/verify: a signing key credential (PEM)'),
  secret: z.string().default('').describe('hmac without a credential: the secret (prefer a credential: a param is stored with the workflow)'),
  signature: z.string().default('').describe('verify: the signature to check, e.g. {{ $json.headers["x-signature"] }}, in encoding').meta({ ui: 'expression' }),
  length: z.coerce.number().int().min(1).max(1024).default(32).describe('randomBytes: how many bytes (1 to 1024)'),
  outputField: z.string().trim().default('').describe('Field the result is written to (empty: hash, hmac, signature, valid, random or uuid after the operation); the other fields are kept'),
})
export type CryptoParams = z.infer<typeof cryptoParams>

export const cryptoNode: NodeType<CryptoParams> = {
  type: 'crypto',
  version: 1,
  label: 'Crypto',
  description: 'Hashes, HMACs, signs and verifies values, and makes random bytes and UUIDs.',
  icon: 'KeyRound',
  category: 'data',
  docs: {
    description: [
      'Works on a value from each item (from `field`, or with source value from `value`, usually an expression) and writes the result to `outputField`, keeping the other fields. Text is read as UTF-8; numbers, objects and arrays as their JSON text.',
      '**hash** writes the digest (md5, sha1, sha256, sha384, sha512, sha3-256) in `encoding`. **hmac** does the same keyed with the secret of an *HMAC secret* credential (or the `secret` param): use it to check a webhook\'s signature by comparing with the header it came with.',
      '**sign** signs with the private key of a *Signing key (PEM)* credential; **verify** checks `signature` against its public key (derived from the private key if only that is stored) and writes true or false. RSA-SHA256, ECDSA-SHA256 and Ed25519 are supported; a key of another type, or one that is not PEM, fails the step naming the credential.',
      '**randomBytes** writes `length` cryptographically random bytes in `encoding`; **uuid** a random UUID v4. Secrets and keys never appear in errors or logs. Works page by page.',
    ].join('\n\n'),
    examples: [
      {
        title: 'SHA-256 of a text field',
        params: { field: 'email', outputField: 'emailHash' },
        input: [{ email: 'abc' }],
        output: { main: [{ email: 'abc', emailHash: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' }] },
      },
      {
        title: 'HMAC-SHA256 of a webhook body, in base64',
        params: { operation: 'hmac', source: 'value', value: '{{ $json.body }}', secret: 'Jefe', encoding: 'base64' },
        input: [{ body: 'what do ya want for nothing?' }],
        output: { main: [{ body: 'what do ya want for nothing?', hmac: 'W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=' }] },
      },
      {
        title: 'Verify an Ed25519 signature from a header',
        params: { operation: 'verify', signatureAlgorithm: 'Ed25519', credential: 'cred_signing_key', field: 'body', signature: '{{ $json.signature }}', encoding: 'base64' },
      },
    ],
  },
  params: cryptoParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  credential: { param: 'credential', kinds: ['cryptoSecret', 'cryptoKey'], optional: true },
  mode: 'batch',
  load: () => import('./execute'),
}
