import type { Metadata } from 'next'
import { ProfileSecurity } from './ProfileSecurity'

export const metadata: Metadata = { title: 'Profile & security' }

export default function ProfilePage() {
  return <ProfileSecurity />
}
