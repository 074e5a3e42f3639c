// The shape of a node type and of a credential kind as this app defines them. The engine knows none of the lists:
// its NodeDefinition takes any category, kind and icon strings and an opaque service map; here they are narrowed
// to the app's unions (NodeCategory, CredentialKind, lucide names) and to HostServices.
import { z } from 'zod'
import type { NodeDefinition, NodeExecutor } from '../engine/types'
import type { CredentialKind } from './credential-kinds'
import type { HostServiceKey, HostServices } from './host-services'
import type { NodeIcon } from './icons'

export type NodeCategory = 'trigger' | 'flow' | 'data' | 'files' | 'core' | 'ai' | 'databases' | 'communication' | 'browser' | 'retrieval'

interface AppFields {
  icon: NodeIcon
  category: NodeCategory
  credential?: { param: string; kinds: CredentialKind[]; optional?: boolean }
  /**
   * Trigger nodes that listen while their workflow is active (schedule, event, broker): activating or publishing
   * the workflow records one TriggerRegistration per enabled node of the published version, with the node's parsed
   * params as its config and `key(params)` as the key its kind looks registrations up by (an event's name, a
   * queue); lib/services/activation.ts.
   */
  listen?: { key?(params: any): string }
  /**
   * Triggers a provider calls (Twilio, WhatsApp): the path under the studio's public URL to give the provider, with
   * `{workflowId}` and `{nodeId}` filled in by the inspector, and where in the provider's console it goes.
   */
  hook?: ProviderHook
  /** What an output item looks like, for expression completion in the designer before the node has run. */
  outputSample?: OutputSample
}

/**
 * A declared output item: `item` holds example values by field; `passesInput`: the node hands its input items on
 * (If, Filter), so their fields come along; `fieldsFrom`: a list param whose rows' `name` are fields the node sets
 * (Set fields).
 */
export interface OutputSample {
  item?: Record<string, unknown>
  passesInput?: boolean
  fieldsFrom?: string
}

export interface ProviderHook {
  /** e.g. `/api/hooks/twilio/sms/{workflowId}/{nodeId}` */
  path: string
  /** e.g. 'Twilio console → Phone Numbers → your number → Messaging → "A message comes in" (HTTP POST)' */
  where: string
}

/**
 * A node type of this app with params `P` that uses the host services `K`: `NodeType<LlmChatParams, 'ai'>` must list
 * `services: ['ai']`, and its executor (`Executor<LlmChatParams, 'ai'>`) sees `ctx.services.ai` and nothing else extra.
 */
export type NodeType<P = any, K extends HostServiceKey = never> = NodeDefinition<P, Pick<HostServices, K>> &
  AppFields &
  ([K] extends [never] ? unknown : { services: readonly K[] })

export type Executor<P, K extends HostServiceKey = never> = NodeExecutor<P, Pick<HostServices, K>>

/** Any node type of this app, as the registry holds it (whatever subset of HostServices it uses). */
export type RegisteredNodeType = NodeDefinition<any, HostServices> & AppFields

/** What a stored credential of one kind holds; `schema` validates it on save and drives the settings form. */
export interface CredentialKindDefinition<N extends string = string> {
  name: N
  label: string
  schema: z.ZodObject
}

export const defineCredentialKind = <N extends string>(kind: CredentialKindDefinition<N>) => kind

/** A required secret field: masked in forms and never returned to the browser. */
export const secret = (label: string) => z.string().min(1, `${label} is required`).meta({ secret: true, label })
