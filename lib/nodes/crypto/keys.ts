// Secrets and PEM keys out of the node's credential. Errors name the credential param and never quote key material.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import { NodeError, type CredentialData } from '../../engine/types'
import type { CryptoParams } from './definition'

type SignatureAlgorithm = CryptoParams['signatureAlgorithm']

/** The key type node:crypto reports for each algorithm (PKCS#1 v1.5 needs a plain RSA key, not RSA-PSS). */
const KEY_TYPE: Record<SignatureAlgorithm, string> = { 'RSA-SHA256': 'rsa', 'ECDSA-SHA256': 'ec', Ed25519: 'ed25519' }

/** The digest node:crypto's sign/verify take: Ed25519 hashes internally and takes none. */
export const DIGEST: Record<SignatureAlgorithm, string | null> = { 'RSA-SHA256': 'sha256', 'ECDSA-SHA256': 'sha256', Ed25519: null }

const keyError = (message: string) => new NodeError(message, { code: 'INVALID_KEY', field: 'credential' })

export function hmacSecret(cred: CredentialData | undefined, param: string): string {
  if (cred) {
    if (cred.kind !== 'cryptoSecret') throw keyError(`hmac needs an HMAC secret credential, not a ${cred.kind} credential`)
    return cred.data.secret
  }
  if (!param) throw new NodeError('hmac needs a secret: choose an HMAC secret credential or fill in "secret"', { code: 'INVALID_PARAM', field: 'secret' })
  return param
}

function pemKeys(cred: CredentialData | undefined, operation: 'sign' | 'verify'): { privateKey?: string; publicKey?: string } {
  if (!cred) throw new NodeError(`${operation} needs a signing key credential (PEM)`, { code: 'CREDENTIAL_MISSING', field: 'credential' })
  if (cred.kind !== 'cryptoKey') throw keyError(`${operation} needs a signing key credential (PEM), not a ${cred.kind} credential`)
  return cred.data
}

function checkType(key: KeyObject, algorithm: SignatureAlgorithm, which: string): KeyObject {
  if (key.asymmetricKeyType !== KEY_TYPE[algorithm]) {
    throw keyError(`The credential's ${which} key is ${key.asymmetricKeyType ?? 'of no known type'}; ${algorithm} needs an ${KEY_TYPE[algorithm]} key`)
  }
  return key
}

function parse(make: () => KeyObject, which: string): KeyObject {
  try {
    return make()
  } catch {
    throw keyError(`The credential's ${which} key is not a PEM key node can read`)
  }
}

export function signingKey(cred: CredentialData | undefined, algorithm: SignatureAlgorithm): KeyObject {
  const { privateKey } = pemKeys(cred, 'sign')
  if (!privateKey) throw keyError('sign needs a private key in the signing key credential')
  return checkType(parse(() => createPrivateKey(privateKey), 'private'), algorithm, 'private')
}

/** The stored public key, or the one derived from the private key. */
export function verifyingKey(cred: CredentialData | undefined, algorithm: SignatureAlgorithm): KeyObject {
  const { privateKey, publicKey } = pemKeys(cred, 'verify')
  const key = publicKey ? parse(() => createPublicKey(publicKey), 'public') : parse(() => createPublicKey(createPrivateKey(privateKey!)), 'private')
  return checkType(key, algorithm, publicKey ? 'public' : 'private')
}
