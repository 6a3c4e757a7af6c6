import { Center, Loader, Text, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';
import { ProblemAlert } from './problem-alert.tsx';

/** The designed loading, error and empty states around what a query answered. */
export function QueryState<T>(props: {
  query: { isPending: boolean; error: unknown; data: T | undefined };
  empty?: (data: T) => boolean;
  emptyText?: string;
  children: (data: T) => ReactNode;
}) {
  const { query } = props;
  if (query.isPending)
    return (
      <Center p="lg" role="status">
        <Loader size="sm" />
        <VisuallyHidden>Loading</VisuallyHidden>
      </Center>
    );
  if (query.error) return <ProblemAlert error={query.error} />;
  const data = query.data as T;
  if (props.empty?.(data))
    return (
      <Text c="dimmed" p="md" data-testid="empty">
        {props.emptyText ?? 'Nothing here yet.'}
      </Text>
    );
  return <>{props.children(data)}</>;
}
