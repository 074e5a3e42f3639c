// Node-type icons are data on the definition: a lucide name from this list, or an SVG of the node's own.
// components/canvas/icons.tsx maps every name here to its component (a missing one fails to compile there),
// and NodeType.icon only takes these names, so an unknown icon is a type error rather than a blank box.

export const LUCIDE_ICON_NAMES = [
  'ArrowRight', 'ArrowUpDown', 'Bot', 'Box', 'Braces', 'Brain', 'CalendarClock', 'Clock', 'Code', 'CodeXml',
  'CopyMinus', 'Database', 'FileArchive', 'FileCode', 'FileInput', 'FileOutput', 'Filter', 'GitBranch', 'Globe', 'Group',
  'History', 'Hourglass', 'KeyRound', 'ListEnd', 'Mail', 'Merge', 'MessageSquare', 'MousePointerClick', 'OctagonX',
  'PenLine', 'Phone', 'Repeat', 'Reply', 'Route', 'ScanText', 'Search', 'Send', 'Sigma', 'Sparkles', 'StickyNote',
  'Table', 'Tags', 'Timer', 'Ungroup', 'Webhook', 'Zap',
  'LogIn', 'TriangleAlert', 'Workflow',
  'Megaphone', 'Radio',
  'Inbox',
  'AppWindow', 'Camera', 'TextCursorInput', 'ListChecks', 'ScanEye',
  'FileUp', 'TextSearch', 'Trash2', 'MessageSquareQuote',
] as const

export type LucideName = (typeof LUCIDE_ICON_NAMES)[number]

/** A lucide icon by name, or `{ svg }`: a vendor's mark, drawn as an image so its markup never runs in the page. */
export type NodeIcon = LucideName | { svg: string }

export function isLucideName(value: string): value is LucideName {
  return (LUCIDE_ICON_NAMES as readonly string[]).includes(value)
}

/** An `<img src>` for SVG markup: scripts and event handlers inside an image document never run. */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
}
