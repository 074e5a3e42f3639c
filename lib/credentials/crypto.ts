// AES-256-GCM with a 32-byte key from AUTERITY_ENCRYPTION_KEY (base64 or hex). Output: base64(iv | tag | ciphertext).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'

export function parseKey(raw: string | undefined): Buffer {
  if (!raw) throw new Error('AUTERITY_ENCRYPTION_KEY is not set (npm start generates one into .data/)')
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64')
  if (key.length !== 32) throw new Error('AUTERITY_ENCRYPTION_KEY must be 32 bytes, base64 or hex encoded')
  return key
}

export function encrypt(plaintext: string, key: Buffer, aad = ''): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(aad))
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')
}

export function decrypt(sealed: string, key: Buffer, aad = ''): string {
  const raw = Buffer.from(sealed, 'base64')
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12))
  decipher.setAAD(Buffer.from(aad))
  decipher.setAuthTag(raw.subarray(12, 28))
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')
}

/** Names a master key without revealing it: the first 16 hex characters of its SHA-256 (WorkspaceKey.masterKeyId). */
export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16)
}
