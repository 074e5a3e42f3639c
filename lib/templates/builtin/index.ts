// The built-in gallery: templates shipped with the app, one file each beside this one. Each has a slug (its id is
// `builtin:<slug>`), its versions (newest last) and at least one test case, run in CI (tests/integration/builtin-templates.test.ts).
import type { BuiltinTemplate } from '../types'

export const builtinTemplates: readonly BuiltinTemplate[] = []
