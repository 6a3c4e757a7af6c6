import { Anchor, Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'wouter';
import { QueryState } from '../../components/query-state.tsx';
import { usePagedList } from '../../components/paged-list.ts';
import type { Premise } from './types.ts';

/** The Supplier's premises, filtered by postcode as the API filters, a page at a time. */
export function PremisesPage() {
  const [postcode, setPostcode] = useState('');
  const [applied, setApplied] = useState('');
  const list = usePagedList<Premise>('/v1/premises', 'premises', { postcode: applied });
  return (
    <Stack>
      <Title order={1}>Premises</Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(postcode.trim());
        }}
      >
        <Group align="end">
          <TextInput label="Postcode" value={postcode} onChange={(e) => setPostcode(e.currentTarget.value)} />
          <Button type="submit" variant="default">
            Filter
          </Button>
        </Group>
      </form>
      <QueryState query={{ ...list, data: list.items }} empty={(d) => d.length === 0} emptyText="No premises match.">
        {(rows) => (
          <Table striped withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Premise</Table.Th>
                <Table.Th scope="col">Postcode</Table.Th>
                <Table.Th scope="col">MPAN</Table.Th>
                <Table.Th scope="col">MPRN</Table.Th>
                <Table.Th scope="col">DNO region</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>
                    <Anchor component={Link} href={`/supplier/premises/${encodeURIComponent(p.id)}`}>
                      {p.id}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{p.postcode}</Table.Td>
                  <Table.Td>{p.mpan ?? '–'}</Table.Td>
                  <Table.Td>{p.mprn ?? '–'}</Table.Td>
                  <Table.Td>{p.distributorId}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
      {list.hasNextPage && (
        <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
          More premises
        </Button>
      )}
      {!list.isPending && !list.hasNextPage && list.items.length > 0 && (
        <Text size="sm" c="dimmed">
          {list.items.length} premises, all shown.
        </Text>
      )}
    </Stack>
  );
}
