import { Badge, Button, Group, Text } from '@mantine/core';

/** "Load more" under a paged list: the next page by the server's cursor, and how many are shown. */
export function MoreButton(props: { shown: number; hasNext: boolean; loading: boolean; onMore: () => void; what: string }) {
  return (
    <Group justify="space-between" mt="xs">
      <Text size="sm" c="dimmed" aria-live="polite">
        {props.shown} {props.what} shown{props.hasNext ? '' : ' (all)'}
      </Text>
      {props.hasNext && (
        <Button variant="default" size="xs" onClick={props.onMore} loading={props.loading}>
          Load more {props.what}
        </Button>
      )}
    </Group>
  );
}

/** A time as the person reads it, with the ISO text kept for machines. */
export function When({ at }: { at: string | null }) {
  if (!at) return <Text span>—</Text>;
  return (
    <time dateTime={at} title={at}>
      {new Date(at).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })} UTC
    </time>
  );
}

const STATE_COLOURS: Record<string, string> = { open: 'blue', done: 'green', exempt: 'gray', sent: 'green', held: 'orange', released: 'teal', overdue: 'red' };

export function StateBadge({ state }: { state: string }) {
  return (
    <Badge color={STATE_COLOURS[state] ?? 'gray'} variant="dot">
      {state}
    </Badge>
  );
}

/** Option lists for the selects, as the API's enums name them. */
export const options = (values: readonly string[]) => values.map((v) => ({ value: v, label: v.replaceAll('_', ' ') }));
