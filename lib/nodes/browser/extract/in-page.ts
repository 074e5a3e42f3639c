// What Extract runs inside the page: one call per page reads every rule, item, table row and the "next" element.
// Kept as plain JavaScript text (not a function of this module) so no transpiler helper (esbuild's __name…) can leak
// into the page, where it would not exist. Browser-safe: only text here.

/** What the node sends into the page (JSON). */
export interface PageSpec {
  mode: 'fields' | 'items' | 'table'
  rules: { key: string; selector: string; selectorType: 'css' | 'xpath' | 'text'; return: 'text' | 'html' | 'attribute' | 'value' | 'url'; attribute: string; multiple: boolean }[]
  itemSelector: string
  itemSelectorType: 'css' | 'xpath'
  tableSelector: string
  tableSelectorType: 'css' | 'xpath'
  headerRow: boolean
  trim: boolean
  /** The next element to look for (absent: no pagination left). */
  next?: { selector: string; selectorType: 'css' | 'xpath' | 'text'; token: string }
}

/** What comes back. */
export interface PageResult {
  url: string
  records: Record<string, unknown>[]
  error?: { field: string; message: string }
  /** The next element: its link (followed as a navigation) or, for anything else, `click` (it carries data-auterity-next). */
  next?: { disabled: boolean; href?: string; click?: boolean; fingerprint?: string } | null
}

/** A cheap fingerprint of a text (FNV-1a and the length), to see that a click changed the page. */
export const FINGERPRINT_JS = `function (s) { var h = 2166136261; for (var i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619) } return (h >>> 0).toString(36) + ':' + s.length }`

export const EXTRACT_JS = `function (spec) {
  var fingerprint = (${FINGERPRINT_JS});
  function Bad(field, message) { this.field = field; this.message = message }
  var SKIP = { SCRIPT: 1, STYLE: 1, NOSCRIPT: 1, TEMPLATE: 1, HEAD: 1 };
  function squash(s) { return String(s).replace(/\\s+/g, ' ').trim() }
  function byText(root, raw) {
    var exact = raw.length > 1 && raw[0] === '"' && raw[raw.length - 1] === '"';
    var want = exact ? squash(raw.slice(1, -1)) : squash(raw).toLowerCase();
    var out = [];
    function matches(el) { var t = squash(el.textContent || ''); return exact ? t === want : t.toLowerCase().indexOf(want) >= 0 }
    function visit(el) {
      if (SKIP[el.tagName]) return false;
      var self = matches(el);
      // "contains": a child can only match inside a matching parent; "exact": look everywhere.
      if (!self && !exact) return false;
      var child = false;
      for (var c = el.firstElementChild; c; c = c.nextElementSibling) if (visit(c)) child = true;
      if (self && !child) out.push(el);
      return self || child;
    }
    var start = root.nodeType === 9 ? root.body || root.documentElement : root;
    if (start) visit(start);
    return out;
  }
  function find(root, sel, type, field) {
    if (!sel) return [root.nodeType === 9 ? root.documentElement : root];
    try {
      if (type === 'css') return Array.prototype.slice.call(root.querySelectorAll(sel));
      if (type === 'xpath') {
        var r = document.evaluate(sel, root, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
        var out = [];
        for (var i = 0; i < r.snapshotLength; i++) out.push(r.snapshotItem(i));
        return out;
      }
      return byText(root, sel);
    } catch (e) {
      throw new Bad(field, (e && e.message) || String(e));
    }
  }
  function absolute(raw) { try { return new URL(raw, document.baseURI).href } catch (e) { return raw } }
  function clean(v) { return typeof v === 'string' && spec.trim ? v.trim() : v }
  function read(n, rule) {
    if (n.nodeType !== 1) {
      var v = n.nodeValue != null ? n.nodeValue : n.textContent;
      return clean(rule.return === 'url' && v != null ? absolute(v.trim()) : v);
    }
    switch (rule.return) {
      case 'html': return clean(n.innerHTML);
      case 'attribute': return clean(n.getAttribute(rule.attribute));
      case 'value': return clean('value' in n ? n.value : n.getAttribute('value'));
      case 'url': {
        var raw = n.getAttribute('href'); if (raw == null) raw = n.getAttribute('src'); if (raw == null) raw = n.getAttribute('action');
        return raw == null ? null : absolute(raw.trim());
      }
      default: {
        var el = n === document.documentElement ? document.body || n : n;
        return clean(typeof el.innerText === 'string' ? el.innerText : el.textContent);
      }
    }
  }
  function rules(root) {
    var o = {};
    for (var i = 0; i < spec.rules.length; i++) {
      var rule = spec.rules[i];
      var found = find(root, rule.selector, rule.selectorType, 'rules.' + i + '.selector');
      o[rule.key] = rule.multiple ? found.map(function (n) { return read(n, rule) }) : found.length ? read(found[0], rule) : null;
    }
    return o;
  }
  function cellText(cell) { var t = typeof cell.innerText === 'string' ? cell.innerText : cell.textContent || ''; return spec.trim ? t.trim() : t }
  function tableRecords(el) {
    var table = el.tagName === 'TABLE' ? el : el.querySelector('table');
    if (!table) return [];
    var rows = Array.prototype.slice.call(table.rows);
    var grid = [];
    for (var r = 0; r < rows.length; r++) {
      var line = grid[r] || (grid[r] = []);
      var c = 0;
      for (var k = 0; k < rows[r].cells.length; k++) {
        var cell = rows[r].cells[k];
        while (line[c] !== undefined) c++;
        var t = cellText(cell);
        var cs = Math.min(Math.max(cell.colSpan || 1, 1), 1000);
        var rs = cell.rowSpan === 0 ? rows.length - r : Math.min(Math.max(cell.rowSpan || 1, 1), rows.length - r);
        for (var dr = 0; dr < rs; dr++) { var L = grid[r + dr] || (grid[r + dr] = []); for (var dc = 0; dc < cs; dc++) L[c + dc] = t }
        c += cs;
      }
    }
    var width = 0;
    for (var g = 0; g < grid.length; g++) width = Math.max(width, grid[g] ? grid[g].length : 0);
    var head = 0;
    if (spec.headerRow) head = table.tHead && table.tHead.rows.length ? table.tHead.rows.length : Math.min(1, rows.length);
    var keys = [], seen = {};
    for (var col = 0; col < width; col++) {
      var parts = [];
      for (var h = 0; h < head; h++) { var v = squash((grid[h] && grid[h][col]) || ''); if (v && parts.indexOf(v) < 0) parts.push(v) }
      var key = parts.join(' ') || 'col' + (col + 1);
      if (seen[key]) { seen[key]++; key = key + '_' + seen[key] } else seen[key] = 1;
      keys.push(key);
    }
    var out = [];
    for (var d = head; d < rows.length; d++) {
      var line2 = grid[d] || [];
      if (!line2.length) continue;
      var o = {};
      for (var j = 0; j < width; j++) o[keys[j]] = line2[j] !== undefined ? line2[j] : '';
      out.push(o);
    }
    return out;
  }
  function disabled(e) { return !!e && e.nodeType === 1 && (e.hasAttribute('disabled') || e.getAttribute('aria-disabled') === 'true' || e.classList.contains('disabled')) }
  try {
    var records = [];
    if (spec.mode === 'fields') records.push(rules(document));
    else if (spec.mode === 'items') {
      var els = find(document, spec.itemSelector, spec.itemSelectorType, 'itemSelector');
      for (var e = 0; e < els.length; e++) if (els[e].nodeType === 1) records.push(rules(els[e]));
    } else {
      var tables = find(document, spec.tableSelector, spec.tableSelectorType, 'tableSelector');
      for (var tb = 0; tb < tables.length; tb++) if (tables[tb].nodeType === 1) records = records.concat(tableRecords(tables[tb]));
    }
    var next = null;
    if (spec.next) {
      var cand = find(document, spec.next.selector, spec.next.selectorType, 'nextSelector')[0];
      if (cand && cand.nodeType !== 1) cand = cand.parentElement || (cand.ownerElement || null);
      if (cand) {
        var link = cand.closest('a[href]');
        var href = link ? link.getAttribute('href').trim() : '';
        var off = disabled(cand) || disabled(cand.parentElement) || (link && link !== cand && disabled(link));
        if (href && href[0] !== '#' && !/^javascript:/i.test(href) && /^https?:/i.test(absolute(href))) next = { disabled: off, href: absolute(href) };
        else {
          cand.setAttribute('data-auterity-next', spec.next.token);
          window.__auterityExtract = spec.next.token;
          next = { disabled: off, click: true, fingerprint: fingerprint(document.body ? document.body.innerHTML : '') };
        }
      }
    }
    return { url: location.href, records: records, next: next };
  } catch (err) {
    if (err instanceof Bad) return { url: location.href, records: [], error: { field: err.field, message: err.message } };
    throw err;
  }
}`
