import { NativeSelect } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, type Page } from '../../api/client.ts';

interface FieldEngineer {
  readonly username: string;
  readonly name: string;
}

/**
 * The party's active field engineers (GET /v1/field-engineers, which an operator may read), and
 * "unassigned". A person the list does not hold (a page beyond the first) stays choosable when
 * already assigned; the server decides who may be assigned and says why not.
 */
export function AssigneePicker({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  const q = useQuery({ queryKey: ['/v1/field-engineers'], queryFn: () => api<Page<'fieldEngineers', FieldEngineer>>('/v1/field-engineers', { query: { limit: 500 } }) });
  const people = q.data?.fieldEngineers ?? [];
  const data = [
    { value: '', label: 'unassigned (any field engineer may pull it)' },
    ...people.map((p) => ({ value: p.username, label: `${p.name} (${p.username})` })),
    ...(value && !people.some((p) => p.username === value) ? [{ value, label: value }] : []),
  ];
  return (
    <NativeSelect
      label={label}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      data={data}
      description={q.isError ? 'The field engineers could not be listed; the current choice is kept.' : undefined}
      maw={420}
    />
  );
}
