import '@mantine/core/styles.css';
import { Center, Loader, MantineProvider, VisuallyHidden } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Router } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import { AppFrame } from './app-shell.tsx';
import { SignInPage } from './auth/sign-in-page.tsx';
import { useMe } from './auth/session.ts';
import { ProblemAlert } from './components/problem-alert.tsx';
import { cssVariables, theme } from './theme.ts';

// Server state lives in TanStack Query: each list and record is cached by its URL, refetched when
// stale, and a change invalidates what it touched; the pages keep no copy of their own.
const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });

function App() {
  const me = useMe();
  if (me.isPending)
    return (
      <Center mih="100vh" role="status">
        <Loader />
        <VisuallyHidden>Loading</VisuallyHidden>
      </Center>
    );
  if (me.error) return <ProblemAlert error={me.error} />;
  if (!me.data) return <SignInPage />;
  return <AppFrame me={me.data} />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariables}>
      <QueryClientProvider client={queryClient}>
        <Router hook={useHashLocation}>
          <App />
        </Router>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
