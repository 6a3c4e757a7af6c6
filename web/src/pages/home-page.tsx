import { Anchor, Card, List, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from 'wouter';
import type { Me } from '../auth/session.ts';
import type { PageRoute } from './page-route.ts';

/** The first page: who is signed in, and the pages they can use. */
export function HomePage({ me, groups }: { me: Me; groups: Array<{ group: PageRoute['group']; pages: PageRoute[] }> }) {
  return (
    <Stack>
      <Title order={1}>meterops</Title>
      <Text>
        Signed in as <b>{me.person}</b> of <b>{me.partyId}</b>, roles {me.roles.join(', ') || 'none'}.
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {groups.map((g) => (
          <Card withBorder key={g.group}>
            <Title order={2} size="h4">
              {g.group}
            </Title>
            <List size="sm" mt="xs">
              {g.pages.map((p) => (
                <List.Item key={p.path}>
                  <Anchor component={Link} href={p.path}>
                    {p.label}
                  </Anchor>
                </List.Item>
              ))}
            </List>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
