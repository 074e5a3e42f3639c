'use client'
import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { Crown, Mail, Trash2, UserPlus, X } from 'lucide-react'
import { Badge, Button, Dialog, EmptyState, Field, Input, Select, Spinner, Table, TBody, Td, Th, THead, Tr, useToast } from '@/components/ui'
import { PageHeader } from '@/components/shell/PageHeader'
import { ApiError, errorMessage } from '@/lib/client/api'
import { formatRelative } from '@/lib/client/format'
import { CopyField } from './CopyField'
import { formatDate, ROLE_LABELS, send } from './http'

interface Member {
  userId: string
  email: string
  name: string | null
  role: string
  joinedAt: string
}
interface Invite {
  id: string
  email: string | null
  role: string
  expiresAt: string
}

const RANK: Record<string, number> = { viewer: 0, operator: 1, editor: 2, admin: 3, owner: 4 }
const ASSIGNABLE = ['admin', 'editor', 'operator', 'viewer']
const roleOptions = (max: string) => ASSIGNABLE.filter((r) => RANK[r] <= RANK[max]).map((r) => ({ value: r, label: ROLE_LABELS[r] }))

export function MembersManager() {
  const toast = useToast()
  const [members, setMembers] = useState<Member[] | null>(null)
  const [you, setYou] = useState<{ userId: string | null; role: string } | null>(null)
  const [invites, setInvites] = useState<Invite[]>([])
  const [loadError, setLoadError] = useState<string | null>(null)
  const [removing, setRemoving] = useState<Member | null>(null)
  const [transferring, setTransferring] = useState<Member | null>(null)
  const [busy, setBusy] = useState(false)

  const isAdmin = !!you && RANK[you.role] >= RANK.admin
  const load = useCallback(async () => {
    try {
      const r = await send<{ members: Member[]; you: { userId: string | null; role: string } }>('/api/members')
      setMembers(r.members)
      setYou(r.you)
      setInvites(RANK[r.you.role] >= RANK.admin ? (await send<{ invites: Invite[] }>('/api/invites')).invites : [])
      setLoadError(null)
    } catch (err) {
      setLoadError(errorMessage(err))
    }
  }, [])
  useEffect(() => void load(), [load])

  /** Whether the caller may change or remove this member (the server checks again). */
  const mayManage = (m: Member) => isAdmin && m.role !== 'owner' && m.userId !== you?.userId && (m.role !== 'admin' || you?.role === 'owner')

  async function act(work: () => Promise<unknown>, done: string, failed: string) {
    setBusy(true)
    try {
      await work()
      toast.success(done)
      await load()
      return true
    } catch (err) {
      toast.error(err, failed)
      return false
    } finally {
      setBusy(false)
    }
  }

  const changeRole = (m: Member, role: string) =>
    act(() => send(`/api/members/${encodeURIComponent(m.userId)}`, 'PATCH', { role }), `${m.email} is now ${ROLE_LABELS[role]}`, 'Could not change the role')

  return (
    <>
      <PageHeader title="Members" description="People in this workspace and what they may do. Changes apply on their next click." />
      {loadError ? (
        <EmptyState title="Could not load members" description={loadError} action={<Button onClick={() => void load()}>Try again</Button>} />
      ) : members === null ? (
        <p className="flex items-center gap-2 text-sm text-muted">
          <Spinner /> Loading members…
        </p>
      ) : (
        <Table>
          <THead>
            <tr>
              <Th>Person</Th>
              <Th>Role</Th>
              <Th>Joined</Th>
              <Th className="w-48">
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </THead>
          <TBody>
            {members.map((m) => (
              <Tr key={m.userId} data-testid="member-row">
                <Td>
                  <div className="font-medium">{m.name || m.email}</div>
                  {m.name && <div className="text-xs text-muted">{m.email}</div>}
                </Td>
                <Td>
                  {mayManage(m) ? (
                    <Select
                      aria-label={`Role of ${m.email}`}
                      className="w-36"
                      value={m.role}
                      disabled={busy}
                      options={roleOptions(you!.role)}
                      onChange={(e) => void changeRole(m, e.target.value)}
                    />
                  ) : (
                    <Badge tone={m.role === 'owner' ? 'info' : 'neutral'}>{ROLE_LABELS[m.role] ?? m.role}</Badge>
                  )}
                </Td>
                <Td className="text-muted">{formatRelative(m.joinedAt)}</Td>
                <Td>
                  <div className="flex justify-end gap-1">
                    {you?.role === 'owner' && m.role !== 'owner' && (
                      <Button size="sm" variant="ghost" icon={<Crown className="size-3.5" />} onClick={() => setTransferring(m)}>
                        Make owner
                      </Button>
                    )}
                    {(mayManage(m) || (m.userId === you?.userId && m.role !== 'owner')) && (
                      <Button size="sm" variant="ghost" aria-label={m.userId === you?.userId ? 'Leave this workspace' : `Remove ${m.email}`} icon={<Trash2 className="size-3.5" />} onClick={() => setRemoving(m)} />
                    )}
                  </div>
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
      {isAdmin && <InviteForm maxRole={you!.role} onInvited={() => void load()} />}
      {isAdmin && invites.length > 0 && (
        <section className="flex flex-col gap-2">
          <h2 className="text-base font-semibold">Pending invitations</h2>
          <Table>
            <THead>
              <tr>
                <Th>Invited</Th>
                <Th>Role</Th>
                <Th>Expires</Th>
                <Th className="w-24">
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </THead>
            <TBody>
              {invites.map((i) => (
                <Tr key={i.id} data-testid="invite-row">
                  <Td>{i.email ?? <span className="text-muted">Anyone with the link</span>}</Td>
                  <Td>{ROLE_LABELS[i.role]}</Td>
                  <Td className="text-muted">{formatDate(i.expiresAt)}</Td>
                  <Td>
                    <Button
                      size="sm"
                      variant="ghost"
                      icon={<X className="size-3.5" />}
                      disabled={busy}
                      onClick={() => void act(() => send(`/api/invites/${encodeURIComponent(i.id)}`, 'DELETE'), 'Invitation withdrawn', 'Could not withdraw the invitation')}
                    >
                      Revoke
                    </Button>
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </section>
      )}
      <Dialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        title={removing?.userId === you?.userId ? 'Leave this workspace?' : `Remove ${removing?.email ?? ''}?`}
        description={
          removing?.userId === you?.userId
            ? 'You will lose access at once; an admin can invite you again.'
            : 'They lose access at once, and their API keys in this workspace are revoked.'
        }
        footer={
          <>
            <Button onClick={() => setRemoving(null)}>Cancel</Button>
            <Button
              variant="danger"
              loading={busy}
              onClick={() =>
                void act(() => send(`/api/members/${encodeURIComponent(removing!.userId)}`, 'DELETE'), 'Member removed', 'Could not remove the member').then((ok) => {
                  setRemoving(null)
                  if (ok && removing?.userId === you?.userId) window.location.assign('/workflows')
                })
              }
            >
              {removing?.userId === you?.userId ? 'Leave' : 'Remove'}
            </Button>
          </>
        }
      />
      <Dialog
        open={transferring !== null}
        onClose={() => setTransferring(null)}
        title={`Make ${transferring?.email ?? ''} the owner?`}
        description="There is one owner. You become an admin, and only the new owner can give ownership back."
        footer={
          <>
            <Button onClick={() => setTransferring(null)}>Cancel</Button>
            <Button
              variant="danger"
              loading={busy}
              onClick={() =>
                void act(() => send('/api/workspaces/current/transfer-ownership', 'POST', { userId: transferring!.userId }), 'Ownership transferred', 'Could not transfer ownership').then(() =>
                  setTransferring(null),
                )
              }
            >
              Transfer ownership
            </Button>
          </>
        }
      />
    </>
  )
}

function InviteForm({ maxRole, onInvited }: { maxRole: string; onInvited: () => void }) {
  const [email, setEmail] = useState('')
  const [role, setRole] = useState('editor')
  const [fields, setFields] = useState<Record<string, string>>({})
  const [error, setError] = useState<string | null>(null)
  const [result, setResult] = useState<{ link: string; emailed: boolean; email: string | null } | null>(null)
  const [busy, setBusy] = useState(false)

  async function submit(e: FormEvent) {
    e.preventDefault()
    setBusy(true)
    setError(null)
    setFields({})
    try {
      const r = await send<{ link: string; emailed: boolean }>('/api/invites', 'POST', { email: email.trim() || undefined, role })
      setResult({ ...r, email: email.trim() || null })
      setEmail('')
      onInvited()
    } catch (err) {
      if (err instanceof ApiError && err.fields) setFields(err.fields)
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="flex flex-col gap-3 rounded-lg border border-line bg-panel p-5">
      <h2 className="flex items-center gap-2 text-base font-semibold">
        <UserPlus className="size-4" /> Invite someone
      </h2>
      <p className="text-sm text-muted">Leave the email empty to make a link you share yourself. Each link works once and expires.</p>
      <form onSubmit={submit} className="flex flex-wrap items-end gap-2">
        <Field label="Email (optional)" className="min-w-64 flex-1" error={fields.email}>
          {({ id, describedBy, invalid }) => (
            <Input id={id} type="email" aria-describedby={describedBy} invalid={invalid} value={email} placeholder="name@example.com" onChange={(e) => setEmail(e.target.value)} />
          )}
        </Field>
        <Field label="Role" error={fields.role}>
          {({ id }) => <Select id={id} className="w-36" value={role} options={roleOptions(maxRole)} onChange={(e) => setRole(e.target.value)} />}
        </Field>
        <Button type="submit" variant="primary" loading={busy} icon={<Mail className="size-4" />}>
          {email.trim() ? 'Send invitation' : 'Create link'}
        </Button>
      </form>
      {error && !Object.keys(fields).length && (
        <p role="alert" className="text-sm text-danger">
          {error}
        </p>
      )}
      {result && (
        <div className="flex flex-col gap-2 rounded-md bg-panel-2 p-3">
          <p className="text-sm">
            {result.emailed
              ? `Sent to ${result.email}. You can also share this link; it is shown only now.`
              : result.email
                ? `No email server is set up, so nothing was sent: give ${result.email} this link. It is shown only now.`
                : 'Share this link with the person you invite. It is shown only now.'}
          </p>
          <CopyField label="Invitation link" value={result.link} testId="invite-link" />
        </div>
      )}
    </section>
  )
}
