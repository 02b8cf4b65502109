'use client';

import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { ApiError, challengeError, createApiClient, tokenFromRoute } from '@/lib/api-client';
import { authClient } from '@/lib/auth-client';

interface Answer {
  label: string;
  status: number | null;
  code: string | null;
  /** The `error` attribute of WWW-Authenticate, read across origins (the API exposes the header). */
  challenge: string | null;
  body: unknown;
  message?: string;
}

export interface DashboardProps {
  email: string;
  userId: string;
  /** The FastAPI backend's origin (NEXT_PUBLIC_API_URL, read on the server at request time). */
  apiUrl: string;
  /** Where tokens come from: /api/token (TOKEN_SOURCE=route) or /api/auth/token (TOKEN_SOURCE=jwt-plugin, jwt-plugin-jwks). */
  tokenUrl: string;
}

/** Some user id that is not this user's: the API must answer 403 user_mismatch. */
const OTHER_USER_ID = 'another-user';

export function Dashboard({ email, userId, apiUrl, tokenUrl }: DashboardProps) {
  const router = useRouter();
  const client = useMemo(() => createApiClient({ baseUrl: apiUrl, getToken: tokenFromRoute(tokenUrl) }), [apiUrl, tokenUrl]);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function call(label: string, path: string) {
    setBusy(true);
    setProblem(null);
    try {
      const response = await client.request(path);
      const body: unknown = await response.json().catch(() => null);
      setAnswer({ label, status: response.status, code: null, challenge: null, body });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.kind === 'sign-in') {
        // Only the app decides this: its token route says there is no session.
        router.replace('/?reason=session-ended');
        router.refresh();
        return;
      }
      setAnswer({ label, status: error.status, code: error.code, challenge: challengeError(error.challenge), body: error.body, message: error.message });
      if (error.kind === 'configuration') setProblem(`Configuration error: ${error.message}`);
      else if (error.kind === 'server' || error.kind === 'network') setProblem(error.message);
    } finally {
      setBusy(false);
    }
  }

  async function signOut() {
    setBusy(true);
    client.clearToken();
    await authClient.signOut();
    router.replace('/');
    router.refresh();
  }

  return (
    <>
      <h1>Dashboard</h1>
      <p>
        Signed in as <strong data-testid="email">{email}</strong>
      </p>
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => call('Call /api/me', '/api/me')}>
          Call /api/me
        </button>
        <button type="button" disabled={busy} onClick={() => call("Another user's tasks", `/api/users/${encodeURIComponent(OTHER_USER_ID === userId ? `${userId}-other` : OTHER_USER_ID)}/tasks`)}>
          Another user&apos;s tasks
        </button>
        <button type="button" disabled={busy} onClick={() => call('Admin stats', '/api/admin/stats')}>
          Admin stats
        </button>
        <button type="button" disabled={busy} onClick={signOut}>
          Sign out
        </button>
      </div>

      <div role="alert">{problem}</div>

      <section className="answer" aria-labelledby="api-answer-title" aria-live="polite">
        <h2 id="api-answer-title">API answer</h2>
        {answer ? (
          <>
            <p>
              {answer.label}: HTTP <span data-testid="status">{answer.status ?? 'no answer'}</span>
              {answer.code ? (
                <>
                  {' '}
                  · code <code data-testid="code">{answer.code}</code>
                </>
              ) : null}
              {answer.challenge ? (
                <>
                  {' '}
                  · WWW-Authenticate error=<code data-testid="challenge">{answer.challenge}</code>
                </>
              ) : null}
            </p>
            <pre data-testid="body">{JSON.stringify(answer.body, null, 2)}</pre>
          </>
        ) : (
          <p>No call yet.</p>
        )}
      </section>
    </>
  );
}
