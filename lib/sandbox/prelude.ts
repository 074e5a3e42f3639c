// Source text that runs INSIDE an isolate. Nothing here executes on the host.

/** Deep-freezes globalThis and every intrinsic reachable from it, so an expression or a Code run cannot leave
 * state (or a poisoned prototype) behind for the next evaluation that shares the context. */
export const FREEZE_GLOBALS = `(() => {
  'use strict';
  // RegExp's legacy statics (RegExp.input, $1…) expose the last match of any earlier evaluation: remove them.
  for (const key of Reflect.ownKeys(RegExp)) {
    const d = Object.getOwnPropertyDescriptor(RegExp, key);
    if (d && d.get && typeof key === 'string') delete RegExp[key];
  }
  const seen = new Set();
  const freeze = (o) => {
    if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o)) return;
    seen.add(o);
    for (const key of Reflect.ownKeys(o)) {
      const d = Object.getOwnPropertyDescriptor(o, key);
      if (!d) continue;
      if ('value' in d) freeze(d.value); else { freeze(d.get); freeze(d.set); }
    }
    freeze(Object.getPrototypeOf(o));
    Object.freeze(o);
  };
  freeze(globalThis);
})()`

const IDENT = /^[$A-Za-z_][$\w]*$/

export function assertScopeKeys(keys: string[]): void {
  for (const k of keys) if (!IDENT.test(k)) throw new Error(`Invalid scope variable name "${k}"`)
}

/** A function taking the scope object and returning the expression's value as JSON text. */
export function expressionFunctionSource(expression: string, keys: string[]): string {
  const bind = keys.length ? `const { ${keys.join(', ')} } = __scope;` : ''
  return `(function (__json) { 'use strict'; const __scope = JSON.parse(__json); ${bind}
const __value = (${expression}
);
return __value === undefined ? undefined : JSON.stringify(__value); })`
}

/**
 * An async function running a Code node body. `console` is captured; `$input` helpers are derived from
 * `items` when the caller did not pass them. Returns JSON text { value, logs }, or { thrown, logs } when the code threw.
 */
export function codeFunctionSource(source: string, keys: string[]): string {
  const bind = keys.filter((k) => k !== 'console').map((k) => `${k} = __scope.${k}`)
  const hasInput = keys.includes('$input')
  return `(async function (__scope) {
  'use strict';
  const __logs = [];
  const __fmt = (args) => args.map((a) => typeof a === 'string' ? a : (() => { try { return JSON.stringify(a); } catch { return String(a); } })()).join(' ');
  const console = {
    log: (...a) => { if (__logs.length < 1000) __logs.push(['log', __fmt(a)]); },
    info: (...a) => { if (__logs.length < 1000) __logs.push(['info', __fmt(a)]); },
    warn: (...a) => { if (__logs.length < 1000) __logs.push(['warn', __fmt(a)]); },
    error: (...a) => { if (__logs.length < 1000) __logs.push(['error', __fmt(a)]); },
  };
  ${bind.length ? `const ${bind.join(', ')};` : ''}
  ${hasInput ? '' : `const $input = (() => { const all = Array.isArray(__scope.items) ? __scope.items : []; return { all: () => all, first: () => all[0], last: () => all[all.length - 1] }; })();`}
  let __value;
  try {
    __value = await (async () => {
${source}
  })();
  } catch (__err) {
    // What the code logged before it threw is what explains the throw: it goes back with the error.
    const __e = (() => { try { return { name: String(__err && __err.name || 'Error'), message: String(__err && __err.message !== undefined ? __err.message : __err) }; } catch { return { name: 'Error', message: 'The code threw a value that cannot be read' }; } })();
    return JSON.stringify({ thrown: __e, logs: __logs });
  }
  return JSON.stringify({ value: __value === undefined ? null : __value, logs: __logs });
})`
}
