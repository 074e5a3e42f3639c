// Pieces of the store that need no database: object-store options, fields read back from a table's schema, the
// per-collection write lock.
import { Bool, Field, Float64, Int32, Schema, Utf8 } from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import { KeyedLock } from '../../../lib/vector/lock'
import { fieldsOf, retryConflicts, storageOptions } from '../../../lib/vector/store'

describe('storage options', () => {
  const s3 = { endpoint: 'http://minio:9000', region: 'us-east-1', accessKeyId: 'AK', secretAccessKey: 'SK' }

  it('passes the S3 settings to LanceDB for an s3:// URI, allowing plain HTTP only for an http endpoint', () => {
    expect(storageOptions({ uri: 's3://bucket/vectors', s3 })).toEqual({ endpoint: 'http://minio:9000', allow_http: 'true', region: 'us-east-1', aws_access_key_id: 'AK', aws_secret_access_key: 'SK' })
    expect(storageOptions({ uri: 's3://bucket/vectors', s3: { region: 'eu-west-1' } })).toEqual({ region: 'eu-west-1' })
    expect(storageOptions({ uri: 's3://b', s3: { ...s3, endpoint: 'https://s3.example' } })).not.toHaveProperty('allow_http')
  })

  it('passes nothing for a folder', () => {
    expect(storageOptions({ uri: '/var/data/vectors', s3 })).toBeUndefined()
  })
})

describe('fields from the schema', () => {
  it('reads the m_ columns of scalar types as filterable fields, and nothing else', () => {
    const schema = new Schema([
      new Field('chunk_id', new Utf8()),
      new Field('tokens', new Int32()),
      new Field('m_lang', new Utf8(), true),
      new Field('m_year', new Float64(), true),
      new Field('m_draft', new Bool(), true),
      new Field('m_odd', new Int32(), true),
    ])
    expect(fieldsOf(schema)).toEqual({ lang: 'string', year: 'number', draft: 'boolean' })
  })
})

describe('commit conflicts', () => {
  it('retries a write another process preempted, and gives up on other errors at once', async () => {
    let calls = 0
    const flaky = async () => {
      if (++calls < 3) throw new Error('lance error: Retryable commit conflict for version 6: preempted by concurrent transaction Merge')
      return 'done'
    }
    expect(await retryConflicts(flaky)).toBe('done')
    expect(calls).toBe(3)
    let other = 0
    await expect(retryConflicts(async () => { other++; throw new Error('disk full') })).rejects.toThrow('disk full')
    expect(other).toBe(1)
  })
})

describe('KeyedLock', () => {
  it('runs tasks of one key one at a time, in order, whatever fails; other keys run alongside', async () => {
    const lock = new KeyedLock()
    const log: string[] = []
    let open!: () => void
    const gate = new Promise<void>((resolve) => (open = resolve))
    const first = lock.run('a', async () => {
      log.push('a1 start')
      await gate
      log.push('a1 end')
      throw new Error('a1 failed')
    })
    const second = lock.run('a', async () => void log.push('a2'))
    await lock.run('b', async () => void log.push('b1'))
    expect(log).toEqual(['a1 start', 'b1'])
    open()
    await expect(first).rejects.toThrow('a1 failed')
    await second
    expect(log).toEqual(['a1 start', 'b1', 'a1 end', 'a2'])
  })
})
