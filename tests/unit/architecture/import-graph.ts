// Reads the import graph of the source with the TypeScript compiler API (the parser, not regexes, so comments,
// strings and `import type` are told apart) and checks it against the boundary rules in boundaries.test.ts.
// Everything works on a map of path → source text, so the rules can be tested on small in-memory fixtures.
import { builtinModules } from 'node:module'
import path from 'node:path'
import ts from 'typescript'

export interface ImportEdge {
  /** Importing file, repository-relative with `/`. */
  from: string
  /** The specifier as written. */
  specifier: string
  /** Resolved repository file for relative and `@/` specifiers; undefined for packages. */
  target?: string
  /** `import type`, `export type`, `{ type X }`-only clauses and `import('x').T` in type positions: erased at run time. */
  typeOnly: boolean
  /** An `import()` call. */
  dynamic: boolean
  /** `load: () => import(...)`, the way a node definition defers its executor. */
  lazyLoad: boolean
  line: number
}

export type SourceFiles = ReadonlyMap<string, string>

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.js', '.mjs']

/** Resolves a relative or `@/` specifier against the known files the way the bundler resolution of tsconfig.json does. */
export function resolveSpecifier(from: string, specifier: string, exists: (file: string) => boolean): string | undefined {
  let base: string
  if (specifier.startsWith('@/')) base = specifier.slice(2)
  else if (specifier.startsWith('.')) base = path.posix.join(path.posix.dirname(from), specifier)
  else return undefined
  const stem = base.replace(/\.(js|mjs)$/, '')
  const candidates = [base, ...EXTENSIONS.map((e) => stem + e), ...EXTENSIONS.map((e) => `${base}/index${e}`)]
  return candidates.find(exists) ?? base
}

/** The package an external specifier names: `@scope/name`, `name`, or `node:x` for Node built-ins. */
export function packageName(specifier: string): string {
  if (specifier.startsWith('node:')) return specifier
  if (builtinModules.includes(specifier.split('/')[0])) return `node:${specifier.split('/')[0]}`
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause
  if (!clause) return false
  if (clause.isTypeOnly) return true
  const bindings = clause.namedBindings
  return !clause.name && !!bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly)
}

function isTypeOnlyExport(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true
  const clause = node.exportClause
  return !!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly)
}

function isLazyLoad(call: ts.CallExpression): boolean {
  const arrow = call.parent
  if (!arrow || !ts.isArrowFunction(arrow) || arrow.body !== call) return false
  const prop = arrow.parent
  return !!prop && ts.isPropertyAssignment(prop) && ts.isIdentifier(prop.name) && prop.name.text === 'load'
}

/** Every import of one file: static, type-only, dynamic `import()`, re-exports, `require()` and `import('x').T` types. */
export function listImports(file: string, text: string, exists: (file: string) => boolean): ImportEdge[] {
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : /\.m?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind)
  const edges: ImportEdge[] = []
  const add = (node: ts.Node, specifier: ts.Expression | undefined, flags: { typeOnly: boolean; dynamic: boolean; lazyLoad: boolean }) => {
    if (!specifier || !ts.isStringLiteralLike(specifier)) return
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1
    edges.push({ from: file, specifier: specifier.text, target: resolveSpecifier(file, specifier.text, exists), line, ...flags })
  }
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      add(node, node.moduleSpecifier, { typeOnly: isTypeOnlyImport(node), dynamic: false, lazyLoad: false })
    } else if (ts.isExportDeclaration(node)) {
      add(node, node.moduleSpecifier, { typeOnly: isTypeOnlyExport(node), dynamic: false, lazyLoad: false })
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, { typeOnly: node.isTypeOnly, dynamic: false, lazyLoad: false })
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal, { typeOnly: true, dynamic: false, lazyLoad: false })
    } else if (ts.isCallExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        add(node, node.arguments[0], { typeOnly: false, dynamic: true, lazyLoad: isLazyLoad(node) })
      } else if (ts.isIdentifier(node.expression) && node.expression.text === 'require') {
        add(node, node.arguments[0], { typeOnly: false, dynamic: false, lazyLoad: false })
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return edges
}

export function buildGraph(files: SourceFiles, known: (file: string) => boolean = (f) => files.has(f)): Map<string, ImportEdge[]> {
  const graph = new Map<string, ImportEdge[]>()
  for (const [file, text] of files) graph.set(file, listImports(file, text, known))
  return graph
}

export const describeEdge = (e: ImportEdge) => `${e.from}:${e.line} imports '${e.specifier}'${e.typeOnly ? ' (type-only)' : ''}`

/**
 * The shortest chain of value imports (type-only ones are erased; `load: () => import()` is deferred until a
 * node runs) from `start` to an import `isBad` accepts, or undefined. Goes on through files in the graph that
 * `follow` accepts.
 */
export function findValuePath(
  graph: Map<string, ImportEdge[]>,
  start: string,
  isBad: (e: ImportEdge) => boolean,
  follow: (file: string) => boolean = () => true,
): ImportEdge[] | undefined {
  const cameFrom = new Map<string, ImportEdge | null>([[start, null]])
  const queue = [start]
  const chainTo = (file: string): ImportEdge[] => {
    const chain: ImportEdge[] = []
    for (let e = cameFrom.get(file); e; e = cameFrom.get(e.from)) chain.unshift(e)
    return chain
  }
  while (queue.length) {
    const file = queue.shift()!
    for (const edge of graph.get(file) ?? []) {
      if (edge.typeOnly || edge.lazyLoad) continue
      if (isBad(edge)) return [...chainTo(file), edge]
      if (edge.target && graph.has(edge.target) && follow(edge.target) && !cameFrom.has(edge.target)) {
        cameFrom.set(edge.target, edge)
        queue.push(edge.target)
      }
    }
  }
  return undefined
}

/** Cycles among the value imports of the graph (Tarjan's strongly connected components), one chain per component. */
export function findCycles(graph: Map<string, ImportEdge[]>): ImportEdge[][] {
  const valueEdges = (file: string) => (graph.get(file) ?? []).filter((e) => !e.typeOnly && !e.lazyLoad && e.target && graph.has(e.target))
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const components: string[][] = []
  let counter = 0
  // Iterative, so a long chain of imports cannot overflow the call stack.
  for (const root of [...graph.keys()].sort()) {
    if (index.has(root)) continue
    const work: Array<{ file: string; next: number }> = [{ file: root, next: 0 }]
    index.set(root, counter), low.set(root, counter++), stack.push(root), onStack.add(root)
    while (work.length) {
      const frame = work[work.length - 1]
      const edges = valueEdges(frame.file)
      if (frame.next < edges.length) {
        const to = edges[frame.next++].target!
        if (!index.has(to)) {
          index.set(to, counter), low.set(to, counter++), stack.push(to), onStack.add(to)
          work.push({ file: to, next: 0 })
        } else if (onStack.has(to)) {
          low.set(frame.file, Math.min(low.get(frame.file)!, index.get(to)!))
        }
        continue
      }
      work.pop()
      if (work.length) {
        const parent = work[work.length - 1].file
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.file)!))
      }
      if (low.get(frame.file) === index.get(frame.file)) {
        const component: string[] = []
        let member: string
        do {
          member = stack.pop()!
          onStack.delete(member)
          component.push(member)
        } while (member !== frame.file)
        const selfLoop = valueEdges(frame.file).some((e) => e.target === frame.file)
        if (component.length > 1 || selfLoop) components.push(component.sort())
      }
    }
  }
  return components.map((component) => {
    const members = new Set(component)
    const start = component[0]
    // A shortest way back to the start inside the component is one concrete cycle to show.
    const inComponent = new Map([...graph].filter(([f]) => members.has(f)).map(([f, edges]) => [f, edges.filter((e) => !e.target || members.has(e.target))]))
    return findValuePath(inComponent, start, (e) => e.target === start)!
  })
}

export const describeChain = (chain: ImportEdge[]) => chain.map(describeEdge).join('\n  → ')
