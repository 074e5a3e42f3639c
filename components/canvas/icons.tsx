// Node-type icons. An explicit map keeps the bundle small; `satisfies` makes a name listed in lib/nodes/icons.ts
// without its component a compile error. SVG icons render as <img> (never as inline markup).
import {
  ArrowRight, ArrowUpDown, Bot, Box, Braces, Brain, CalendarClock, Clock, Code, CodeXml, CopyMinus, Database,
  FileArchive, FileCode, FileInput, FileOutput, Filter, GitBranch, Globe, Group, History, Hourglass, KeyRound, ListEnd,
  Mail, Merge, MessageSquare, MousePointerClick, OctagonX, PenLine, Phone, Repeat, Reply, Route, ScanText, Search, Send,
  Sigma, Sparkles, StickyNote, Table, Tags, Timer, Ungroup, Webhook, Zap,
  LogIn, TriangleAlert, Workflow,
  Megaphone, Radio,
  Inbox,
  AppWindow, Camera, TextCursorInput, ListChecks, ScanEye,
  FileUp, TextSearch, Trash2, MessageSquareQuote,
  type LucideIcon,
} from 'lucide-react'
import { svgDataUrl, type LucideName, type NodeIcon as NodeIconData } from '@/lib/nodes/icons'

export const ICONS = {
  ArrowRight, ArrowUpDown, Bot, Box, Braces, Brain, CalendarClock, Clock, Code, CodeXml, CopyMinus, Database,
  FileArchive, FileCode, FileInput, FileOutput, Filter, GitBranch, Globe, Group, History, Hourglass, KeyRound, ListEnd,
  Mail, Merge, MessageSquare, MousePointerClick, OctagonX, PenLine, Phone, Repeat, Reply, Route, ScanText, Search, Send,
  Sigma, Sparkles, StickyNote, Table, Tags, Timer, Ungroup, Webhook, Zap,
  LogIn, TriangleAlert, Workflow,
  Megaphone, Radio,
  Inbox,
  AppWindow, Camera, TextCursorInput, ListChecks, ScanEye,
  FileUp, TextSearch, Trash2, MessageSquareQuote,
} satisfies Record<LucideName, LucideIcon>

/** `icon` is undefined only for a node whose type this server does not know (e.g. removed): it shows as a box. */
export function NodeIcon({ icon, className }: { icon?: NodeIconData; className?: string }) {
  if (icon && typeof icon === 'object') return <img src={svgDataUrl(icon.svg)} alt="" className={className} aria-hidden draggable={false} />
  const Icon: LucideIcon = icon ? ICONS[icon] : Box
  return <Icon className={className} aria-hidden />
}

/** Tile colour per category (Tailwind classes). */
export const CATEGORY_TONE: Record<string, string> = {
  trigger: 'bg-amber-500/15 text-amber-600 dark:text-amber-400',
  flow: 'bg-violet-500/15 text-violet-600 dark:text-violet-400',
  data: 'bg-sky-500/15 text-sky-600 dark:text-sky-400',
  files: 'bg-teal-500/15 text-teal-600 dark:text-teal-400',
  core: 'bg-indigo-500/15 text-indigo-600 dark:text-indigo-400',
  ai: 'bg-fuchsia-500/15 text-fuchsia-600 dark:text-fuchsia-400',
  communication: 'bg-emerald-500/15 text-emerald-600 dark:text-emerald-400',
  browser: 'bg-orange-500/15 text-orange-600 dark:text-orange-400',
  retrieval: 'bg-cyan-500/15 text-cyan-600 dark:text-cyan-400',
}
