import { Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ProblemAlert } from '../components/problem-alert.tsx';
import { signIn } from './session.ts';

/** Password sign-in (POST /v1/sessions): the server sets the session cookie. */
export function SignInPage() {
  const qc = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(username, password);
      await qc.invalidateQueries({ queryKey: ['me'] });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder p="xl" w={380} component="main">
        <form onSubmit={submit} aria-label="sign in">
          <Stack>
            <Title order={1} size="h2">
              meterops
            </Title>
            <Text size="sm" c="dimmed">
              Sign in with your meterops username and password.
            </Text>
            <TextInput label="Username" name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.currentTarget.value)} required />
            <PasswordInput label="Password" name="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} required />
            <ProblemAlert error={error} title="Not signed in" />
            <Button type="submit" loading={busy}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
