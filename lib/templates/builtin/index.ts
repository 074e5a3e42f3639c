// The built-in gallery: templates shipped with the app, one file each beside this one. Each has a slug (its id is
// `builtin:<slug>`), its versions (newest last) and at least one test case, run in CI (tests/integration/builtin-templates.test.ts).
// docs/templates-builtin.md lists them.
import { BUILTIN_PREFIX, type BuiltinTemplate } from '../types'

export const builtinTemplates: readonly BuiltinTemplate[] = []

/** The built-in whose id (`builtin:<slug>`) or slug this is. */
export function findBuiltinTemplate(idOrSlug: string): BuiltinTemplate | undefined {
  const slug = idOrSlug.startsWith(BUILTIN_PREFIX) ? idOrSlug.slice(BUILTIN_PREFIX.length) : idOrSlug
  return builtinTemplates.find((t) => t.slug === slug)
}
