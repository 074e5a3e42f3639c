// The Vercel AI SDK (`ai`) and its providers, imported on the first model call rather than at start: a process
// that never calls a model (most workers, the web process until an AI page is used) keeps their tens of MB out.
import { lazy } from '../lazy'

export type AiSdk = typeof import('ai')

export const loadAiSdk = lazy(() => import('ai'))
export const loadAnthropicProvider = lazy(() => import('@ai-sdk/anthropic'))
export const loadOpenAiProvider = lazy(() => import('@ai-sdk/openai'))
/** The providers' own SDKs: connection tests and fine-tuning (lib/models). */
export const loadOpenAiClient = lazy(() => import('openai'))
export const loadAnthropicClient = lazy(() => import('@anthropic-ai/sdk'))
