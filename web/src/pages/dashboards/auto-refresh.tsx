import { Button, Group, Text } from '@mantine/core';
import { useState } from 'react';

/**
 * How often a dashboard asks the server again: every 30 s, meterops' own default (the figures move
 * as returns are triaged; the reports are cheap to ask for). TanStack Query does not refetch while
 * the tab is hidden (refetchIntervalInBackground is false), so a dashboard left in a background tab
 * costs the server nothing.
 */
export const DASHBOARD_REFRESH_SECONDS = 30;

/** The dashboard's refresh: on unless paused; `refetchInterval` goes on each of its queries. */
export function useAutoRefresh() {
  const [paused, setPaused] = useState(false);
  return { paused, toggle: () => setPaused((p) => !p), refetchInterval: paused ? (false as const) : DASHBOARD_REFRESH_SECONDS * 1000 };
}

const clock = (t: number) => new Date(t).toLocaleTimeString('en-GB', { hour12: false });

/** "Updated HH:MM:SS" (the newest of the dashboard's answers) and the pause/resume control. */
export function RefreshControl({ updatedAt, paused, toggle, fetching }: { updatedAt: number; paused: boolean; toggle: () => void; fetching: boolean }) {
  return (
    <Group gap="sm" data-testid="refresh">
      <Text size="sm" data-testid="updated">
        {updatedAt ? (
          <>
            Updated <time dateTime={new Date(updatedAt).toISOString()}>{clock(updatedAt)}</time>
          </>
        ) : (
          'Not loaded yet'
        )}
        {fetching ? ', refreshing…' : ''}
        {paused ? '; refresh paused.' : `; refreshes every ${DASHBOARD_REFRESH_SECONDS} s while this tab is shown.`}
      </Text>
      <Button size="xs" variant="default" onClick={toggle} data-testid="refresh-toggle">
        {paused ? 'Resume refresh' : 'Pause refresh'}
      </Button>
    </Group>
  );
}
