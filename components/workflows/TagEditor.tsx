'use client'
import { useState } from 'react'
import { Plus, X } from 'lucide-react'
import { useToast } from '@/components/ui'
import { api } from '@/lib/client/api'

/** A workflow's tags as chips in its list row: × removes one, + adds one (suggesting the workspace's tags). */
export function TagEditor({
  workflowId,
  workflowName,
  tags,
  known,
  canEdit,
  onChange,
  onPick,
}: {
  workflowId: string
  workflowName: string
  tags: string[]
  /** Every tag of the workspace, offered while typing. */
  known: string[]
  canEdit: boolean
  onChange: (tags: string[]) => void
  /** A click on a chip filters the list by that tag. */
  onPick: (tag: string) => void
}) {
  const toast = useToast()
  const [adding, setAdding] = useState(false)
  const [draft, setDraft] = useState('')
  const listId = `tags-${workflowId}`

  async function save(next: string[]) {
    try {
      const res = await api.workflows.setTags(workflowId, next)
      onChange(res.tags)
    } catch (err) {
      toast.error(err, 'Could not change the tags')
    }
  }

  async function add() {
    const tag = draft.trim()
    setAdding(false)
    setDraft('')
    if (!tag || tags.some((t) => t.toLowerCase() === tag.toLowerCase())) return
    await save([...tags, tag])
  }

  return (
    <div className="mt-1 flex flex-wrap items-center gap-1" data-testid="workflow-tags">
      {tags.map((tag) => (
        <span key={tag} className="inline-flex items-center rounded-full border border-line bg-panel-2 text-[11px] leading-5 text-muted">
          <button type="button" className="px-2 hover:text-accent" title={`Show workflows tagged “${tag}”`} onClick={() => onPick(tag)}>
            {tag}
          </button>
          {canEdit && (
            <button
              type="button"
              aria-label={`Remove tag ${tag} from ${workflowName}`}
              className="-ml-1 rounded-full pr-1.5 hover:text-danger"
              onClick={() => void save(tags.filter((t) => t !== tag))}
            >
              <X className="size-3" />
            </button>
          )}
        </span>
      ))}
      {canEdit &&
        (adding ? (
          <>
            <input
              autoFocus
              list={listId}
              aria-label={`New tag for ${workflowName}`}
              value={draft}
              maxLength={40}
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') void add()
                if (e.key === 'Escape') {
                  setAdding(false)
                  setDraft('')
                }
              }}
              onBlur={() => void add()}
              className="h-5 w-28 rounded-full border border-accent bg-panel px-2 text-[11px] outline-none"
              placeholder="tag, then Enter"
            />
            <datalist id={listId}>
              {known.filter((k) => !tags.includes(k)).map((k) => (
                <option key={k} value={k} />
              ))}
            </datalist>
          </>
        ) : (
          <button
            type="button"
            aria-label={`Add a tag to ${workflowName}`}
            title="Add a tag"
            className="inline-flex h-5 items-center gap-0.5 rounded-full border border-dashed border-line px-1.5 text-[11px] text-muted opacity-60 hover:border-accent hover:text-accent hover:opacity-100 group-hover:opacity-100"
            onClick={() => setAdding(true)}
          >
            <Plus className="size-3" />
            {tags.length === 0 && 'tag'}
          </button>
        ))}
    </div>
  )
}
