import { describe, expect, it } from 'vitest'
import { credentialKindNames, credentialKinds, isCredentialKind } from '@/lib/nodes/credential-kinds'
import { nodeDefinitions } from '@/lib/nodes/registry'

describe('credential kinds', () => {
  it('lists each kind once, under its own name', () => {
    expect(new Set(credentialKindNames).size).toBe(credentialKindNames.length)
    for (const [key, kind] of Object.entries(credentialKinds)) expect(kind.name).toBe(key)
  })

  it('knows every kind a node type accepts', () => {
    for (const def of nodeDefinitions) for (const kind of def.credential?.kinds ?? []) expect(isCredentialKind(kind)).toBe(true)
  })

  it('does not take inherited object keys for kinds', () => {
    expect(isCredentialKind('toString')).toBe(false)
    expect(isCredentialKind('constructor')).toBe(false)
  })
})
