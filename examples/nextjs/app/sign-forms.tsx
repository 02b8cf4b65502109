'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { authClient } from '@/lib/auth-client';

type Result = { error: { message?: string | null; statusText?: string } | null };

function field(form: HTMLFormElement, name: string): string {
  const value = new FormData(form).get(name);
  return typeof value === 'string' ? value : '';
}

/** The sign-up and sign-in forms (Better Auth's email + password), each with its own alert region. */
export function SignForms() {
  const router = useRouter();
  const [signUpError, setSignUpError] = useState<string | null>(null);
  const [signInError, setSignInError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>, call: (form: HTMLFormElement) => Promise<Result>, setError: (message: string | null) => void) {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const { error } = await call(event.currentTarget);
      if (error) {
        setError(error.message || error.statusText || 'That did not work.');
        return;
      }
      router.replace('/dashboard');
      router.refresh();
    } catch (error) {
      setError(`Could not reach the app: ${String(error)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <form
        aria-labelledby="sign-up-title"
        onSubmit={(event) =>
          submit(
            event,
            (form) => authClient.signUp.email({ name: field(form, 'name'), email: field(form, 'email'), password: field(form, 'password') }),
            setSignUpError,
          )
        }
      >
        <h2 id="sign-up-title">Create an account</h2>
        <label htmlFor="sign-up-name">Name</label>
        <input id="sign-up-name" name="name" autoComplete="name" required />
        <label htmlFor="sign-up-email">Email</label>
        <input id="sign-up-email" name="email" type="email" autoComplete="email" required />
        <label htmlFor="sign-up-password">Password</label>
        <input id="sign-up-password" name="password" type="password" autoComplete="new-password" minLength={8} required />
        <div role="alert">{signUpError}</div>
        <button type="submit" disabled={busy}>
          Sign up
        </button>
      </form>

      <form
        aria-labelledby="sign-in-title"
        onSubmit={(event) => submit(event, (form) => authClient.signIn.email({ email: field(form, 'email'), password: field(form, 'password') }), setSignInError)}
      >
        <h2 id="sign-in-title">Already have an account?</h2>
        <label htmlFor="sign-in-email">Email</label>
        <input id="sign-in-email" name="email" type="email" autoComplete="username" required />
        <label htmlFor="sign-in-password">Password</label>
        <input id="sign-in-password" name="password" type="password" autoComplete="current-password" required />
        <div role="alert">{signInError}</div>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </>
  );
}
