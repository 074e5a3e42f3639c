// Keyset pagination by (createdAt, id): stable under inserts, no OFFSET scans.
import { ValidationError } from '../errors'

export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url')
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString().split('|')
  const createdAt = new Date(iso)
  if (!id || Number.isNaN(createdAt.getTime())) throw new ValidationError('cursor: not a cursor from this API', { cursor: 'invalid' })
  return { createdAt, id }
}
