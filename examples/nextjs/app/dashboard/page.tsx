import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getAuth } from '@/lib/auth';
import { apiUrl, tokenUrl } from '@/lib/config';
import { Dashboard } from './dashboard';

// Reads the session and the environment (API URL, token source) on every request.
export const dynamic = 'force-dynamic';

export default async function DashboardPage() {
  const session = await getAuth().api.getSession({ headers: await headers() });
  if (!session) redirect('/');
  return <Dashboard email={session.user.email} userId={session.user.id} apiUrl={apiUrl()} tokenUrl={tokenUrl()} />;
}
