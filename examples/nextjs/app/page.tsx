import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getAuth } from '@/lib/auth';
import { SignForms } from './sign-forms';

// Reads the session on every request.
export const dynamic = 'force-dynamic';

export default async function HomePage({ searchParams }: { searchParams: Promise<{ reason?: string }> }) {
  const session = await getAuth().api.getSession({ headers: await headers() });
  if (session) redirect('/dashboard');
  const { reason } = await searchParams;
  return (
    <>
      <h1>Better Auth + FastAPI</h1>
      <p>Sign up or sign in; the dashboard then calls the API with a short-lived bearer token.</p>
      {reason === 'session-ended' ? <p role="status">Your session has ended: sign in again.</p> : null}
      <SignForms />
    </>
  );
}
