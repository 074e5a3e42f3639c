// The shape of a node type and of a credential kind as this app defines them. The engine knows neither list:
// its NodeDefinition takes any category and kind strings; here they are narrowed to the app's unions.
import { z } from 'zod'
import type { NodeDefinition } from '../engine/types'
import type { CredentialKind } from './credential-kinds'
import type { NodeIcon } from './icons'

export type NodeCategory = 'trigger' | 'flow' | 'data' | 'core' | 'ai' | 'communication' | 'browser'

/** A node type of this app: the engine's definition with the category and credential kinds checked. */
export interface NodeType<P = any> extends NodeDefinition<P> {
  icon: NodeIcon
  category: NodeCategory
  credential?: { param: string; kinds: CredentialKind[]; optional?: boolean }
}

/** What a stored credential of one kind holds; `schema` validates it on save and drives the settings form. */
export interface CredentialKindDefinition<N extends string = string> {
  name: N
  label: string
  schema: z.ZodObject
}

export const defineCredentialKind = <N extends string>(kind: CredentialKindDefinition<N>) => kind

/** A required secret field: masked in forms and never returned to the browser. */
export const secret = (label: string) => z.string().min(1, `${label} is required`).meta({ secret: true, label })
