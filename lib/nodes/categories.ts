// Category order and names, shared by the palette and the generated node reference so both list node types alike.
import type { NodeCategory } from './define'

export const CATEGORY_ORDER: readonly NodeCategory[] = ['trigger', 'core', 'flow', 'data', 'files', 'ai', 'retrieval', 'databases', 'communication', 'browser']
export const CATEGORY_LABEL: Record<string, string> = {
  trigger: 'Triggers', core: 'Core', flow: 'Flow', data: 'Data', files: 'Files', ai: 'AI', retrieval: 'Retrieval', databases: 'Databases', communication: 'Communication', browser: 'Browser',
}

/** Position of a category in CATEGORY_ORDER; unknown ones go last. */
export const categoryRank = (category: string) => CATEGORY_ORDER.indexOf(category as NodeCategory) + 1 || 99
