// The HHT app's sign-in (POST /v1/sessions: the same session as the operations app).
import { useState, type FormEvent } from 'react';
import { problemOf, signIn, type Problem } from './platform.ts';
import { ProblemBox } from './problem-box.tsx';

export function SignIn({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setBusy(true);
    setProblem(null);
    try {
      await signIn(String(f.get('username') ?? ''), String(f.get('password') ?? ''));
      await onSignedIn();
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="signin-h">
      <h2 id="signin-h">Sign in</h2>
      <form onSubmit={(e) => void submit(e)} className="form">
        <label htmlFor="username">Username</label>
        <input id="username" name="username" autoComplete="username" required />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      {problem ? <ProblemBox problem={problem} what="Sign-in refused" /> : null}
    </section>
  );
}
