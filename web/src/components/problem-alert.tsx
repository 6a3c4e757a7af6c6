import { Alert, Text } from '@mantine/core';
import { problemOf } from '../api/problem.ts';

/** A refusal shown in place: what the server said, its code, and the field it names. */
export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const p = problemOf(error);
  return (
    <Alert color="red" title={title ?? (p.status ? `Refused (${p.status})` : 'Could not reach meterops')} role="alert" data-testid="problem">
      <Text size="sm">{p.detail}</Text>
      <Text size="xs" c="dimmed">
        {p.status ? `${p.status} ` : ''}
        {p.code}
        {p.field ? ` · field ${p.field}` : ''}
        {p.rule ? ` · rule ${p.rule}` : ''}
      </Text>
      {p.errors?.map((e, i) => (
        <Text size="xs" key={i}>
          {e.field ? `${e.field}: ` : ''}
          {e.message}
        </Text>
      ))}
    </Alert>
  );
}
