'use client'
// "Test connection" (every kind) and "Connect" (OAuth2 authorization code) for one saved credential row. Header
// kinds (API key, bearer, basic, custom headers) need a URL to try the credential against; it is asked for here.
import { useState } from 'react'
import { Link2, PlugZap } from 'lucide-react'
import { Button, Dialog, Field, Input, useToast } from '@/components/ui'

const NEEDS_URL = new Set(['apiKey', 'bearer', 'basicAuth', 'customHeaders'])

export function CredentialConnectionActions({ id, name, kind }: { id: string; name: string; kind: string }) {
  const toast = useToast()
  const [busy, setBusy] = useState(false)
  const [asking, setAsking] = useState(false)
  const [url, setUrl] = useState('')

  async function test(withUrl?: string) {
    setBusy(true)
    try {
      const res = await fetch(`/api/credentials/${encodeURIComponent(id)}/test`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(withUrl ? { url: withUrl } : {}),
      })
      const body = (await res.json()) as { ok?: boolean; message?: string; error?: { message?: string } }
      if (res.ok && body.ok) toast.success(`“${name}” works`, body.message)
      else toast.error(new Error(body.message ?? body.error?.message ?? `HTTP ${res.status}`), `“${name}” did not connect`)
      setAsking(false)
    } catch (err) {
      toast.error(err, 'Could not test the credential')
    } finally {
      setBusy(false)
    }
  }

  return (
    <>
      <Button size="sm" variant="ghost" aria-label={`Test connection of ${name}`} loading={busy} onClick={() => (NEEDS_URL.has(kind) ? setAsking(true) : void test())} icon={<PlugZap className="size-3.5" />} />
      {kind === 'oauth2AuthorizationCode' ? (
        <Button size="sm" variant="ghost" aria-label={`Connect ${name}`} onClick={() => window.location.assign(`/api/credentials/${encodeURIComponent(id)}/oauth/start`)} icon={<Link2 className="size-3.5" />}>
          Connect
        </Button>
      ) : null}
      <Dialog
        open={asking}
        onClose={() => setAsking(false)}
        title={`Test “${name}”`}
        description="The credential is sent with a GET request to this URL; any 2xx answer is a pass."
        footer={
          <>
            <Button onClick={() => setAsking(false)}>Cancel</Button>
            <Button variant="primary" loading={busy} disabled={!url} onClick={() => void test(url)}>
              Test connection
            </Button>
          </>
        }
      >
        <Field label="URL to test against">{(p) => <Input id={p.id} aria-describedby={p.describedBy} type="url" placeholder="https://api.example.com/me" value={url} onChange={(e) => setUrl(e.target.value)} />}</Field>
      </Dialog>
    </>
  )
}
