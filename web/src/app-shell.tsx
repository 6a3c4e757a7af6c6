import { Anchor, AppShell, Burger, Button, Group, NavLink, ScrollArea, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense, type ReactNode } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import { can, useSignOut, type Me } from './auth/session.ts';
import { QueryState } from './components/query-state.tsx';
import { HomePage } from './pages/home-page.tsx';
import type { PageRoute } from './pages/page-route.ts';
import { servesPartyRole } from './pages/party-roles.ts';
import { ROUTES } from './pages/registry.ts';

const GROUPS: ReadonlyArray<PageRoute['group']> = ['Triage', 'Supplier operations', 'Dashboards', 'Security', 'Administration', 'Network operator'];

/** The menu: each group's labelled pages the person may use and that serve their party's role. */
export function navigationOf(me: Me): Array<{ group: PageRoute['group']; pages: PageRoute[] }> {
  const shown = (r: PageRoute) => !!r.label && (!r.permission || can(me, r.permission)) && servesPartyRole(r, me.partyRole);
  return GROUPS.map((group) => ({ group, pages: ROUTES.filter((r) => r.group === group && shown(r)) })).filter((g) => g.pages.length > 0);
}

export function AppFrame({ me }: { me: Me }) {
  const [opened, { toggle, close }] = useDisclosure();
  const [location] = useLocation();
  const signOut = useSignOut();
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 250, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="menu" />
            <Anchor component={Link} href="/" underline="never" c="inherit">
              <Title order={2} size="h4">
                meterops
              </Title>
            </Anchor>
          </Group>
          <Group wrap="nowrap" gap="sm">
            <Text size="sm" data-testid="who">
              {me.person} · {me.partyId}
            </Text>
            <Button size="xs" variant="default" onClick={() => void signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="pages">
        <ScrollArea>
          {navigationOf(me).map((g) => (
            <NavLink key={g.group} component="button" label={g.group} defaultOpened childrenOffset={8}>
              {g.pages.map((p) => (
                <NavLink key={p.path} component={Link} variant="filled" href={p.path} label={p.label} active={location === p.path} onClick={close} />
              ))}
            </NavLink>
          ))}
          <NavLink component="a" href="/hht/" label="HHT field app" description="opens the field engineer's app" />
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense fallback={<QueryState query={{ isPending: true, error: null, data: undefined }}>{() => null}</QueryState>}>
          <Routes me={me} />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}

function Routes({ me }: { me: Me }): ReactNode {
  return (
    <Switch>
      <Route path="/">
        <HomePage me={me} groups={navigationOf(me)} />
      </Route>
      {ROUTES.map((r) => (
        <Route key={r.path} path={r.path}>
          {(params) => <r.component params={params as Record<string, string | undefined>} />}
        </Route>
      ))}
      <Route>
        <Text role="alert">No such page: {location.hash}</Text>
      </Route>
    </Switch>
  );
}
